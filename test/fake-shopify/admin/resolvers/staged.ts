import type { AdminContext } from "../context";

interface StagedInput {
  resource: string;
  filename: string;
  mimeType: string;
  httpMethod?: string | null;
}

export function stagedUploadsCreate(args: { input: StagedInput[] }, ctx: AdminContext) {
  const userErrors: { field: string[]; message: string }[] = [];
  const targets = args.input.map((input, index) => {
    if (input.resource !== "BULK_MUTATION_VARIABLES") {
      userErrors.push({ field: ["input", String(index), "resource"], message: `The fake serves only BULK_MUTATION_VARIABLES uploads, not ${input.resource}.` });
      return null;
    }
    return ctx.services.staged.createTarget(ctx.store, input.filename, input.mimeType, input.httpMethod === "POST" ? "POST" : "PUT");
  });
  if (userErrors.length > 0) return { stagedTargets: null, userErrors };
  return { stagedTargets: targets, userErrors: [] };
}
