-- DropIndex
DROP INDEX "CustomerScore_shopId_group_valueScore_idx";

-- DropIndex
DROP INDEX "CustomerScore_shopId_group_predictedClv_idx";

-- CreateIndex
CREATE INDEX "CustomerScore_shopId_group_valueScore_customerId_idx" ON "CustomerScore"("shopId", "group", "valueScore", "customerId");

-- CreateIndex
CREATE INDEX "CustomerScore_shopId_group_predictedClv_customerId_idx" ON "CustomerScore"("shopId", "group", "predictedClv", "customerId");

-- CreateIndex
CREATE INDEX "CustomerScore_shopId_group_marginRate_customerId_idx" ON "CustomerScore"("shopId", "group", "marginRate", "customerId");

-- CreateIndex
CREATE INDEX "CustomerScore_shopId_valueScore_customerId_idx" ON "CustomerScore"("shopId", "valueScore", "customerId");

-- CreateIndex
CREATE INDEX "CustomerScore_shopId_predictedClv_customerId_idx" ON "CustomerScore"("shopId", "predictedClv", "customerId");

-- CreateIndex
CREATE INDEX "CustomerScore_shopId_marginRate_customerId_idx" ON "CustomerScore"("shopId", "marginRate", "customerId");


-- Expression indexes Prisma cannot declare. Sorting by last order keys on
-- COALESCE("lastOrderAt", '-infinity') so customers without orders still page by
-- keyset (a NULL breaks row comparison). The search indexes compare bytewise
-- (COLLATE "C") so a prefix is an index range on plain PostgreSQL, no extension.
CREATE INDEX "CustomerScore_shopId_group_lastOrder_customerId_idx" ON "CustomerScore"("shopId", "group", (COALESCE("lastOrderAt", '-infinity'::timestamp(3))), "customerId");
CREATE INDEX "CustomerScore_shopId_lastOrder_customerId_idx" ON "CustomerScore"("shopId", (COALESCE("lastOrderAt", '-infinity'::timestamp(3))), "customerId");
CREATE INDEX "Customer_shopId_email_search_idx" ON "Customer"("shopId", (lower("email")) COLLATE "C");
CREATE INDEX "Customer_shopId_name_search_idx" ON "Customer"("shopId", (lower(COALESCE("firstName", '') || ' ' || COALESCE("lastName", ''))) COLLATE "C");
CREATE INDEX "Customer_shopId_last_name_search_idx" ON "Customer"("shopId", (lower("lastName")) COLLATE "C");
