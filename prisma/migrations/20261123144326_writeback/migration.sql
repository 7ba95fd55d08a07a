-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "metafieldsDefinedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "GroupChange" ADD COLUMN     "flowSentAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "CustomerWriteState" (
    "shopId" INTEGER NOT NULL,
    "customerId" BIGINT NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "metafieldsDigest" TEXT,
    "writtenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerWriteState_pkey" PRIMARY KEY ("shopId","customerId")
);

-- CreateIndex
CREATE INDEX "GroupChange_shopId_flowSentAt_idx" ON "GroupChange"("shopId", "flowSentAt");

-- AddForeignKey
ALTER TABLE "CustomerWriteState" ADD CONSTRAINT "CustomerWriteState_shopId_customerId_fkey" FOREIGN KEY ("shopId", "customerId") REFERENCES "Customer"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

