import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, InlineGrid, Layout, Page, Select, TextField } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useState } from "react";
import { RouteErrorPage } from "../components/RouteErrorPage";
import { requireShopId } from "../customers/shop.server";
import prisma from "../db.server";
import { formDataLimited } from "../http/limits";
import { useFormat } from "../i18n/useFormat";
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

const SECTIONS: OverrideField["section"][] = ["valueWeights", "volumeWeights", "thresholds", "vip"];
const SWITCHES = ["autoTagging", "metafields", "flowTrigger"] as const;

const name = (f: OverrideField) => `overrides.${f.section}.${f.key}`;

export default function Settings() {
  const { settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const { t, m } = useFormat();
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
    if (!result.ok) shopify.toast.show(t("settings.toast.invalid"), { isError: true });
    else shopify.toast.show(t(result.rescore === "queued" ? "settings.toast.savedQueued" : "settings.toast.savedNightly"), { duration: 6000 });
  }, [result, shopify, t]);

  const presetRaw = (f: OverrideField) => String((PRESETS[preset] as unknown as Record<string, Record<string, unknown>>)[f.section][f.key]);
  const fieldKey = (f: OverrideField) => `settings.fields.${f.section}.${f.key}`;
  const choiceLabel = (f: OverrideField, choice: string) => t(`${fieldKey(f)}.choices.${choice}`);
  const presetValue = (f: OverrideField) => (f.kind === "choice" ? choiceLabel(f, presetRaw(f)) : presetRaw(f));
  const helpText = (f: OverrideField) =>
    f.help ? t("settings.presetValueWithHelp", { help: t(`${fieldKey(f)}.help`), value: presetValue(f) }) : t("settings.presetValue", { value: presetValue(f) });
  // A wrong field is named as the page labels it; one the page does not show (a stored override) by its path.
  const errorField = (path: string) => {
    const f = OVERRIDE_FIELDS.find((x) => name(x) === path);
    if (f) return t(`${fieldKey(f)}.label`);
    if (path === "preset" || path === "defaultMarginRate" || path === "tagPrefix") return t(`settings.errorFields.${path}`);
    const section = SECTIONS.find((x) => path === `overrides.${x}`);
    return section ? t(`settings.sections.${section}.title`) : path;
  };
  const fieldError = (path: string) => (errors[path] ? m(errors[path]) : undefined);

  return (
    <Page title={t("settings.title")} narrowWidth>
      <TitleBar title={t("settings.title")} />
      <Form method="post">
        <BlockStack gap="400">
          {result && !result.ok ? (
            <Banner tone="critical" title={t("settings.notSaved")}>
              <ul>
                {Object.entries(result.errors).map(([path, message]) => (
                  <li key={path}>{t("settings.errorLine", { field: errorField(path), error: m(message) })}</li>
                ))}
              </ul>
            </Banner>
          ) : null}
          <Layout>
            <Layout.AnnotatedSection title={t("settings.businessModel.title")} description={t("settings.businessModel.description")}>
              <Card>
                <FormLayout>
                  <Select
                    label={t("settings.businessModel.preset")}
                    name="preset"
                    options={PRESET_NAMES.map((p) => ({ label: t(`settings.presets.${p}`), value: p }))}
                    value={preset}
                    onChange={(v) => setPreset(v as PresetName)}
                    error={fieldError("preset")}
                  />
                  <TextField
                    label={t("settings.businessModel.margin")}
                    name="defaultMarginRate"
                    type="number"
                    suffix="%"
                    autoComplete="off"
                    value={margin}
                    onChange={setMargin}
                    helpText={t("settings.businessModel.marginHelp")}
                    error={fieldError("defaultMarginRate")}
                  />
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>
            {SECTIONS.map((section) => (
              <Layout.AnnotatedSection
                key={section}
                title={t(`settings.sections.${section}.title`)}
                description={t("settings.sections.description", { help: t(`settings.sections.${section}.help`) })}
              >
                <Card>
                  <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                    {OVERRIDE_FIELDS.filter((f) => f.section === section).map((f) =>
                      f.kind === "choice" ? (
                        <Select
                          key={name(f)}
                          label={t(`${fieldKey(f)}.label`)}
                          name={name(f)}
                          options={[{ label: t("settings.usePreset", { value: presetValue(f) }), value: "" }, ...(f.choices ?? []).map((c) => ({ label: choiceLabel(f, c), value: c }))]}
                          value={values[name(f)]}
                          onChange={(v) => setValues((old) => ({ ...old, [name(f)]: v }))}
                          error={fieldError(name(f))}
                        />
                      ) : (
                        <TextField
                          key={name(f)}
                          label={t(`${fieldKey(f)}.label`)}
                          name={name(f)}
                          type="number"
                          autoComplete="off"
                          value={values[name(f)]}
                          placeholder={presetValue(f)}
                          onChange={(v) => setValues((old) => ({ ...old, [name(f)]: v }))}
                          helpText={helpText(f)}
                          error={fieldError(name(f))}
                        />
                      ),
                    )}
                  </InlineGrid>
                </Card>
              </Layout.AnnotatedSection>
            ))}
            <Layout.AnnotatedSection title={t("settings.writing.title")} description={t("settings.writing.description")}>
              <Card>
                <FormLayout>
                  <TextField
                    label={t("settings.writing.tagPrefix")}
                    name="tagPrefix"
                    autoComplete="off"
                    value={tagPrefix}
                    onChange={setTagPrefix}
                    helpText={t("settings.writing.tagPrefixHelp", { example: `${tagPrefix.trim() || settings.tagPrefix}valued` })}
                    error={fieldError("tagPrefix")}
                  />
                  {SWITCHES.map((key) => (
                    <div key={key}>
                      <Checkbox label={t(`settings.writing.${key}`)} checked={switches[key]} onChange={(v) => setSwitches((old) => ({ ...old, [key]: v }))} />
                      <input type="hidden" name={key} value={switches[key] ? "on" : "off"} />
                    </div>
                  ))}
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.Section>
              <BlockStack inlineAlign="end">
                <Button submit variant="primary" loading={saving}>
                  {t("settings.save")}
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
  const { t } = useFormat();
  return <RouteErrorPage title={t("settings.title")} heading={t("errors.settings")} />;
}
