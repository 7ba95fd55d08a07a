import { beforeAll, describe, expect, it } from "vitest";
import { adminRequest, installTestShop, thrownResponse } from "../../test/support/admin-request";
import { parseCampaignForm } from "../campaigns/form";
import { parseListQuery } from "../customers/list.server";
import { translate } from "../i18n/i18n";
import { playsFor } from "../personas/plays";
import { GROUPS } from "../scoring/types";
import { loader } from "./app.campaigns.new";

// Every play a persona offers is one click from happening: its link opens a Patron page
// that understands the query, filled in so the merchant only reviews and confirms.

const SHOP = "plays.myshopify.com";
const plays = GROUPS.flatMap((g) => playsFor(g, (message) => translate("en", message)).map((p) => ({ group: g, ...p })));

describe("persona plays' links", () => {
  beforeAll(async () => {
    await installTestShop(SHOP);
  });

  it("open the new-campaign form filled in with a valid campaign for the play's group", async () => {
    const campaigns = plays.filter((p) => p.href.startsWith("/app/campaigns/new?"));
    expect(campaigns.map((p) => p.id).sort()).toEqual(["rising_nudge", "volume_bundle", "volume_offer"]);
    for (const play of campaigns) {
      const form = await loader({ request: await adminRequest(SHOP, play.href), params: {}, context: {} });
      expect(form.prefill.audience, play.id).toBe(`group:${play.group}`);
      // What the form would post once the merchant adds a code.
      const parsed = parseCampaignForm({ code: "PLAY10", shippingCost: "8", startsAt: "", ...form.prefill }, new Date());
      expect(parsed.ok, `${play.id}: ${JSON.stringify(parsed.ok ? null : parsed.errors)}`).toBe(true);
      if (parsed.ok) expect(parsed.request.audience).toEqual({ kind: "group", group: play.group });
    }
  });

  it("open the customer list filtered to the play's group", () => {
    for (const play of plays.filter((p) => p.href.startsWith("/app/customers?"))) {
      const parsed = parseListQuery(new URL(play.href, "https://patron.test").searchParams);
      expect(parsed.success, play.id).toBe(true);
      if (parsed.success) expect(parsed.data.group).toBe(play.group);
    }
  });

  it("answers 400 naming the field when a campaign link carries a bad value", async () => {
    const response = await thrownResponse(loader({ request: await adminRequest(SHOP, "/app/campaigns/new?discountKind=half_off"), params: {}, context: {} }));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^campaign link: discountKind/);
  });

  it("leave Patron only for Shopify Flow", () => {
    for (const play of plays) {
      if (play.shopify) expect(play.href).toBe("shopify://admin/apps/flow");
      else expect(play.href).toMatch(/^\/app\//);
    }
  });
});
