-- AlterTable
ALTER TABLE "GroupChange" ADD COLUMN     "reconstructed" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "ModelFit" ADD COLUMN     "asOf" TIMESTAMP(3),
ADD COLUMN     "backtest" JSONB,
ADD COLUMN     "reconstructed" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "ModelFit_shopId_reconstructed_fittedAt_idx" ON "ModelFit"("shopId", "reconstructed", "fittedAt");

