import { LoginErrorType, type LoginError } from "@shopify/shopify-app-remix/server";

/** The login form's errors as locale keys (under `login.errors`), by field. */
export function loginErrorMessage(loginErrors: LoginError | undefined): { shop?: string } {
  if (loginErrors?.shop === LoginErrorType.MissingShop) return { shop: "login.errors.missingShop" };
  if (loginErrors?.shop === LoginErrorType.InvalidShop) return { shop: "login.errors.invalidShop" };
  return {};
}
