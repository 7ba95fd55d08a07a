-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "sourceName" TEXT;

-- AlterTable
ALTER TABLE "OrderLine" ADD COLUMN     "productType" TEXT,
ADD COLUMN     "vendor" TEXT;

-- AlterTable
ALTER TABLE "DashboardSnapshot" ADD COLUMN     "personas" JSONB;

