-- CreateTable
CREATE TABLE "DashboardSnapshot" (
    "shopId" INTEGER NOT NULL,
    "modelFitId" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "groups" JSONB NOT NULL,
    "movement" JSONB NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DashboardSnapshot_pkey" PRIMARY KEY ("shopId")
);

-- AddForeignKey
ALTER TABLE "DashboardSnapshot" ADD CONSTRAINT "DashboardSnapshot_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

