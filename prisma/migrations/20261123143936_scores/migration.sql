-- CreateEnum
CREATE TYPE "CustomerGroup" AS ENUM ('valued', 'volume', 'rising', 'at_risk', 'new', 'occasional');

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "vipManual" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "CustomerScore" (
    "shopId" INTEGER NOT NULL,
    "customerId" BIGINT NOT NULL,
    "group" "CustomerGroup" NOT NULL,
    "valueScore" DOUBLE PRECISION NOT NULL,
    "volumeScore" DOUBLE PRECISION NOT NULL,
    "vip" BOOLEAN NOT NULL DEFAULT false,
    "vipSource" TEXT,
    "held" BOOLEAN NOT NULL DEFAULT false,
    "pAlive" DOUBLE PRECISION,
    "expectedPurchases" DOUBLE PRECISION NOT NULL,
    "predictedClv" DECIMAL(18,2) NOT NULL,
    "orders" INTEGER NOT NULL,
    "revenue" DECIMAL(18,2) NOT NULL,
    "grossMargin" DECIMAL(18,2) NOT NULL,
    "marginRate" DOUBLE PRECISION NOT NULL,
    "marginEstimated" BOOLEAN NOT NULL,
    "discountShare" DOUBLE PRECISION NOT NULL,
    "lastOrderAt" TIMESTAMP(3),
    "reasons" JSONB NOT NULL,
    "modelFitId" INTEGER NOT NULL,
    "scoredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerScore_pkey" PRIMARY KEY ("shopId","customerId")
);

-- CreateTable
CREATE TABLE "GroupChange" (
    "id" BIGSERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "customerId" BIGINT NOT NULL,
    "from" "CustomerGroup",
    "to" "CustomerGroup" NOT NULL,
    "valueScore" DOUBLE PRECISION NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GroupChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelFit" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "version" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "logLikelihood" DOUBLE PRECISION,
    "customers" INTEGER NOT NULL,
    "summary" JSONB NOT NULL,
    "trigger" TEXT NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "fittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelFit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CustomerScore_shopId_group_valueScore_idx" ON "CustomerScore"("shopId", "group", "valueScore");

-- CreateIndex
CREATE INDEX "CustomerScore_shopId_group_predictedClv_idx" ON "CustomerScore"("shopId", "group", "predictedClv");

-- CreateIndex
CREATE INDEX "GroupChange_shopId_customerId_at_idx" ON "GroupChange"("shopId", "customerId", "at");

-- CreateIndex
CREATE INDEX "GroupChange_shopId_at_idx" ON "GroupChange"("shopId", "at");

-- CreateIndex
CREATE INDEX "ModelFit_shopId_fittedAt_idx" ON "ModelFit"("shopId", "fittedAt");

-- AddForeignKey
ALTER TABLE "CustomerScore" ADD CONSTRAINT "CustomerScore_shopId_customerId_fkey" FOREIGN KEY ("shopId", "customerId") REFERENCES "Customer"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupChange" ADD CONSTRAINT "GroupChange_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelFit" ADD CONSTRAINT "ModelFit_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

