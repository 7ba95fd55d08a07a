import type { PrismaClient } from "@prisma/client";

export interface InstallRecord {
  domain: string;
  scopes: string | null;
}

/** Creates the shop on first install, or brings an uninstalled one back. */
export async function recordInstall(db: PrismaClient, install: InstallRecord) {
  return db.shop.upsert({
    where: { domain: install.domain },
    create: { domain: install.domain, scopes: install.scopes },
    update: { scopes: install.scopes, uninstalledAt: null, installedAt: new Date() },
  });
}
