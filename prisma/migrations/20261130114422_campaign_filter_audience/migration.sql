-- AlterEnum
ALTER TYPE "CampaignAudience" ADD VALUE 'filter';

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "audienceFilter" JSONB;
