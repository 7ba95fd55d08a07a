-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('ACTIVE', 'FAILED');

-- CreateEnum
CREATE TYPE "CampaignAudience" AS ENUM ('group', 'customers', 'all');

-- CreateEnum
CREATE TYPE "CampaignDiscount" AS ENUM ('percentage', 'fixed_amount', 'free_shipping');

-- CreateTable
CREATE TABLE "Campaign" (
    "shopId" INTEGER NOT NULL,
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "status" "CampaignStatus" NOT NULL,
    "audience" "CampaignAudience" NOT NULL,
    "group" "CustomerGroup",
    "excludeVolume" BOOLEAN NOT NULL DEFAULT false,
    "discount" "CampaignDiscount" NOT NULL,
    "value" DECIMAL(18,4),
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3),
    "usageLimit" INTEGER,
    "oncePerCustomer" BOOLEAN NOT NULL DEFAULT false,
    "combinesOrder" BOOLEAN NOT NULL DEFAULT false,
    "combinesProduct" BOOLEAN NOT NULL DEFAULT false,
    "combinesShipping" BOOLEAN NOT NULL DEFAULT false,
    "controlShare" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "segmentId" BIGINT,
    "segmentQuery" TEXT,
    "discountId" BIGINT,
    "projection" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("shopId","id")
);

-- CreateTable
CREATE TABLE "CampaignMember" (
    "shopId" INTEGER NOT NULL,
    "campaignId" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "holdout" BOOLEAN NOT NULL,

    CONSTRAINT "CampaignMember_pkey" PRIMARY KEY ("shopId","campaignId","customerId")
);

-- CreateIndex
CREATE INDEX "Campaign_shopId_createdAt_idx" ON "Campaign"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_shopId_code_key" ON "Campaign"("shopId", "code");

-- CreateIndex
CREATE INDEX "CampaignMember_shopId_customerId_idx" ON "CampaignMember"("shopId", "customerId");

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignMember" ADD CONSTRAINT "CampaignMember_shopId_campaignId_fkey" FOREIGN KEY ("shopId", "campaignId") REFERENCES "Campaign"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

