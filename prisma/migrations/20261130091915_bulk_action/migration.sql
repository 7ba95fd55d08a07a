-- CreateEnum
CREATE TYPE "BulkActionKind" AS ENUM ('vip_on', 'vip_off');

-- CreateEnum
CREATE TYPE "BulkActionStatus" AS ENUM ('queued', 'running', 'done', 'failed');

-- CreateTable
CREATE TABLE "BulkAction" (
    "shopId" INTEGER NOT NULL,
    "id" TEXT NOT NULL,
    "kind" "BulkActionKind" NOT NULL,
    "filters" JSONB NOT NULL,
    "status" "BulkActionStatus" NOT NULL DEFAULT 'queued',
    "total" INTEGER NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BulkAction_pkey" PRIMARY KEY ("shopId","id")
);

-- CreateIndex
CREATE INDEX "BulkAction_shopId_createdAt_idx" ON "BulkAction"("shopId", "createdAt");

-- AddForeignKey
ALTER TABLE "BulkAction" ADD CONSTRAINT "BulkAction_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

