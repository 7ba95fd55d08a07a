import type { Prisma, PrismaClient } from "@prisma/client";

// Shopify's mandatory privacy webhooks. These really delete or export: every table
// that holds a customer's data is listed here, and the redaction also scrubs the
// inbox rows whose payloads named the customer.

type Tx = Prisma.TransactionClient;

async function deleteOrders(tx: Tx, shopId: number, orderIds: bigint[]) {
  if (orderIds.length === 0) return;
  const ids = orderIds.map(String);
  await tx.$executeRawUnsafe(`DELETE FROM "OrderLine" WHERE "shopId" = $1 AND "orderId" = ANY($2::bigint[])`, shopId, ids);
  await tx.$executeRawUnsafe(`DELETE FROM "Refund" WHERE "shopId" = $1 AND "orderId" = ANY($2::bigint[])`, shopId, ids);
  await tx.$executeRawUnsafe(`DELETE FROM "Order" WHERE "shopId" = $1 AND id = ANY($2::bigint[])`, shopId, ids);
}

export interface RedactionResult {
  orders: number;
  customer: boolean;
  inboxRows: number;
}

/** customers/redact: the customer, the orders named (and any other of theirs), and payloads naming them. */
export async function redactCustomer(
  db: PrismaClient,
  shopId: number,
  customerId: bigint,
  ordersToRedact: bigint[],
): Promise<RedactionResult> {
  return db.$transaction(async (tx) => {
    const theirs = await tx.order.findMany({ where: { shopId, customerId }, select: { id: true } });
    const orderIds = [...new Set([...ordersToRedact, ...theirs.map((o) => o.id)].map(String))].map(BigInt);
    await deleteOrders(tx, shopId, orderIds);
    const customer = await tx.customer.deleteMany({ where: { shopId, id: customerId } });
    await tx.dataRequest.deleteMany({ where: { shopId, customerId } });
    await tx.groupChange.deleteMany({ where: { shopId, customerId } });
    await tx.campaignMember.deleteMany({ where: { shopId, customerId } });
    const id = customerId.toString();
    const inboxRows = await tx.$executeRawUnsafe(
      `DELETE FROM "WebhookEvent" WHERE "shopId" = $1 AND (
         (topic LIKE 'customers/%' AND topic <> 'customers/redact' AND (payload->>'id' = $2 OR payload->'customer'->>'id' = $2))
         OR (topic LIKE 'orders/%' AND (payload->'customer'->>'id' = $2 OR payload->>'id' = ANY($3::text[])))
         OR (topic = 'refunds/create' AND payload->>'order_id' = ANY($3::text[])))`,
      shopId,
      id,
      orderIds.map(String),
    );
    return { orders: orderIds.length, customer: customer.count > 0, inboxRows };
  });
}

/** shop/redact: everything Patron holds for the shop. Cascades from Shop cover every domain table. */
export async function redactShop(db: PrismaClient, domain: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await tx.session.deleteMany({ where: { shop: domain } });
    const deleted = await tx.shop.deleteMany({ where: { domain } });
    return deleted.count > 0;
  });
}

export interface CustomerExport {
  customer: Record<string, unknown> | null;
  orders: Record<string, unknown>[];
}

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}

/** customers/data_request: an export of everything held on the customer, recorded as served (once per request id). */
export async function exportCustomerData(
  db: PrismaClient,
  shopId: number,
  customerId: bigint,
  requestId: string,
  orderIds: bigint[],
): Promise<CustomerExport> {
  const customer = await db.customer.findUnique({ where: { shopId_id: { shopId, id: customerId } } });
  const orders = await db.order.findMany({
    where: { shopId, OR: [{ customerId }, { id: { in: orderIds } }] },
    include: { lines: true },
    orderBy: { processedAt: "asc" },
  });
  const refunds = await db.refund.findMany({ where: { shopId, orderId: { in: orders.map((o) => o.id) } } });
  const data: CustomerExport = {
    customer: customer ? (plain(customer) as Record<string, unknown>) : null,
    orders: orders.map((o) => plain({ ...o, refunds: refunds.filter((r) => r.orderId === o.id) }) as Record<string, unknown>),
  };
  await db.dataRequest.upsert({
    where: { shopId_requestId: { shopId, requestId } },
    create: { shopId, requestId, customerId, export: data as unknown as Prisma.InputJsonValue },
    update: {},
  });
  return data;
}
