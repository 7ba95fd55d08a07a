-- CreateEnum
CREATE TYPE "CampaignAction" AS ENUM ('EDIT', 'END', 'DELETE');

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "endedAt" TIMESTAMP(3),
ADD COLUMN     "pendingAction" "CampaignAction",
ADD COLUMN     "pendingSince" TIMESTAMP(3);

