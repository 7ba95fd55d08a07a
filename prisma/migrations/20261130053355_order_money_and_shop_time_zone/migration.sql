-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "ianaTimezone" TEXT;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "taxesIncluded" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "OrderLine" ADD COLUMN     "taxIncluded" DECIMAL(18,2) NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "CustomerScore" ADD COLUMN     "purchaseDays" INTEGER NOT NULL DEFAULT 0;

