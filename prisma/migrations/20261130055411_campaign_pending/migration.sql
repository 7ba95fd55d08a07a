-- AlterEnum
ALTER TYPE "CampaignStatus" ADD VALUE 'PENDING';

