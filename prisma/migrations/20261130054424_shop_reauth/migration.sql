-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "accessRestoredAt" TIMESTAMP(3),
ADD COLUMN     "reauthNeededAt" TIMESTAMP(3),
ADD COLUMN     "reauthReason" TEXT;

