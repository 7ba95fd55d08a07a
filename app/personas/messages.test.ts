import { describe, expect, it } from "vitest";
import { message, MissingMessageError, PERSONA_MESSAGES } from "./messages";

describe("persona messages", () => {
  it("fills named placeholders and picks the plural form by count", () => {
    expect(message("persona.card.title", { group: "Volume" })).toBe("Who Volume customers are");
    expect(message("persona.card.customers", { count: 1 })).toBe("1 customer with orders");
    expect(message("persona.card.customers", { count: 2 })).toBe("2 customers with orders");
  });

  it("refuses a missing value rather than printing a raw placeholder", () => {
    expect(() => message("persona.card.title")).toThrow(MissingMessageError);
  });

  it("uses only {{name}} placeholders, the form i18next reads", () => {
    for (const [key, text] of Object.entries(PERSONA_MESSAGES)) {
      expect(text.replace(/\{\{\w+\}\}/g, ""), key).not.toMatch(/[{}]/);
    }
  });
});
