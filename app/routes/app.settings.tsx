import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, InlineGrid, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useState } from "react";
import { requireShopId } from "../customers/shop.server";
import prisma from "../db.server";
import { formDataLimited } from "../http/limits";
import { PRESETS, PRESET_NAMES, type PresetName } from "../scoring/presets";
import { loadSettings, saveSettings } from "../settings/settings.server";
import { OVERRIDE_FIELDS, type OverrideField } from "../settings/shop-settings";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadSettings(prisma, await requireShopId(prisma, session.shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await formDataLimited(request);
  return saveSettings(prisma, await requireShopId(prisma, session.shop), form);
};

const PRESET_LABELS: Record<PresetName, string> = {
  balanced: "Balanced: valued and volume both matter",
  luxury: "Luxury / premium: margin and full-price buying",
  discount_retail: "Discount retail: volume is the business",
  subscription: "Subscription: loyalty and tenure",
  b2b: "B2B: few, large, regular orders",
};

const SECTIONS: { section: OverrideField["section"]; title: string; help: string }[] = [
  { section: "valueWeights", title: "Value score weights", help: "How much each signal counts towards the value score (0–100 each)." },
  { section: "volumeWeights", title: "Volume score weights", help: "How much each signal counts towards the volume score (0–100 each)." },
  { section: "thresholds", title: "Group thresholds", help: "When a customer enters a group." },
  { section: "vip", title: "Automatic VIP", help: "The top valued customers Patron marks VIP on its own, besides those you mark by hand." },
];

const name = (f: OverrideField) => `overrides.${f.section}.${f.key}`;

export default function Settings() {
  const { settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const saving = navigation.state === "submitting";
  const errors = result && !result.ok ? result.errors : {};
  const stored = settings.overrides as Record<string, Record<string, unknown> | undefined>;

  const [preset, setPreset] = useState<PresetName>(settings.preset);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(OVERRIDE_FIELDS.map((f) => [name(f), stored[f.section]?.[f.key] === undefined ? "" : String(stored[f.section]?.[f.key])])),
  );
  const [margin, setMargin] = useState(String(Math.round(settings.defaultMarginRate * 1000) / 10));
  const [tagPrefix, setTagPrefix] = useState(settings.tagPrefix);
  const [switches, setSwitches] = useState({ autoTagging: settings.autoTagging, metafields: settings.metafields, flowTrigger: settings.flowTrigger });

  useEffect(() => {
    if (!result) return;
    if (!result.ok) shopify.toast.show("Some settings need fixing", { isError: true });
    else shopify.toast.show(result.rescore === "queued" ? "Settings saved; customers are being rescored" : "Settings saved; the rescore will run on the nightly schedule", { duration: 6000 });
  }, [result, shopify]);

  const presetValue = (f: OverrideField) => String((PRESETS[preset] as unknown as Record<string, Record<string, unknown>>)[f.section][f.key]);

  return (
    <Page title="Settings" narrowWidth>
      <TitleBar title="Settings" />
      <Form method="post">
        <BlockStack gap="400">
          {result && !result.ok ? (
            <Banner tone="critical" title="The settings were not saved">
              <ul>
                {Object.entries(result.errors).map(([path, message]) => (
                  <li key={path}>
                    {path}: {message}
                  </li>
                ))}
              </ul>
            </Banner>
          ) : null}
          <Layout>
            <Layout.AnnotatedSection title="Business model" description="The preset sets every weight and threshold; override only what your store needs.">
              <Card>
                <FormLayout>
                  <Select label="Preset" name="preset" options={PRESET_NAMES.map((p) => ({ label: PRESET_LABELS[p], value: p }))} value={preset} onChange={(v) => setPreset(v as PresetName)} error={errors.preset} />
                  <TextField
                    label="Default margin rate"
                    name="defaultMarginRate"
                    type="number"
                    suffix="%"
                    autoComplete="off"
                    value={margin}
                    onChange={setMargin}
                    helpText="Used where a product's cost is unknown"
                    error={errors.defaultMarginRate}
                  />
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>
            {SECTIONS.map((s) => (
              <Layout.AnnotatedSection key={s.section} title={s.title} description={`${s.help} Blank fields use the preset's value, shown greyed.`}>
                <Card>
                  <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                    {OVERRIDE_FIELDS.filter((f) => f.section === s.section).map((f) => (
                      <TextField
                        key={name(f)}
                        label={f.label}
                        name={name(f)}
                        type={f.kind === "number" ? "number" : "text"}
                        autoComplete="off"
                        value={values[name(f)]}
                        placeholder={presetValue(f)}
                        onChange={(v) => setValues((old) => ({ ...old, [name(f)]: v }))}
                        helpText={f.help ? `${f.help}. Preset: ${presetValue(f)}` : `Preset: ${presetValue(f)}`}
                        error={errors[name(f)]}
                      />
                    ))}
                  </InlineGrid>
                </Card>
              </Layout.AnnotatedSection>
            ))}
            <Layout.AnnotatedSection title="Writing to Shopify" description="What Patron writes on your customers in Shopify.">
              <Card>
                <FormLayout>
                  <TextField label="Tag prefix" name="tagPrefix" autoComplete="off" value={tagPrefix} onChange={setTagPrefix} helpText="Tags look like patron:valued" error={errors.tagPrefix} />
                  {(
                    [
                      ["autoTagging", "Tag customers with their group and VIP"],
                      ["metafields", "Store scores in customer metafields (for segments)"],
                      ["flowTrigger", "Fire the Flow trigger when a customer's group changes"],
                    ] as const
                  ).map(([key, label]) => (
                    <div key={key}>
                      <Checkbox label={label} checked={switches[key]} onChange={(v) => setSwitches((old) => ({ ...old, [key]: v }))} />
                      <input type="hidden" name={key} value={switches[key] ? "on" : "off"} />
                    </div>
                  ))}
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.Section>
              <BlockStack inlineAlign="end">
                <Button submit variant="primary" loading={saving}>
                  Save
                </Button>
              </BlockStack>
            </Layout.Section>
          </Layout>
        </BlockStack>
      </Form>
    </Page>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  return (
    <Page title="Settings">
      <Banner tone="critical" title="The settings could not be shown">
        <Text as="p">{error instanceof Error ? error.message : "Please try again."}</Text>
      </Banner>
    </Page>
  );
}
