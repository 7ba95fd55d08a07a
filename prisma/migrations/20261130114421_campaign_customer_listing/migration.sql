-- AlterEnum
ALTER TYPE "BulkActionKind" ADD VALUE 'campaign_customers';

-- AlterTable
ALTER TABLE "BulkAction" ADD COLUMN     "campaignId" TEXT;

-- CreateIndex
CREATE INDEX "BulkAction_shopId_campaignId_idx" ON "BulkAction"("shopId", "campaignId");
