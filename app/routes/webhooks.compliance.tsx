import type { ActionFunctionArgs } from "@remix-run/node";
import { webhookIngestion } from "../sync/webhook-route.server";

export const action = ({ request }: ActionFunctionArgs) => webhookIngestion(request, "compliance");
