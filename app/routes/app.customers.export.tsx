import type { LoaderFunctionArgs } from "@remix-run/node";
import { customersCsv, exportFileName } from "../customers/export.server";
import { requestLocale } from "../i18n/locale.server";
import { listFiltersSchema } from "../customers/list.server";
import { requireShopId } from "../customers/shop.server";
import prisma from "../db.server";
import { authenticate } from "../shopify.server";

// A resource route: the current filtered list as CSV, streamed a page at a time.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = listFiltersSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response("Invalid filters", { status: 400 });
  const shopId = await requireShopId(prisma, session.shop);
  const { locale } = requestLocale(request);
  return new Response(customersCsv(prisma, shopId, parsed.data, { locale }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName(parsed.data)}"`,
      "Cache-Control": "no-store",
    },
  });
};
