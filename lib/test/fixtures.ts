import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { systemActor, type UserActor } from "@/lib/domain/actor";
import { reloadSigningKeys } from "@/lib/domain/audit/signing-keys";
import { setModelPrice } from "@/lib/domain/pricing/set-model-price";
import { updateOrgSettings } from "@/lib/domain/settings/update-org-settings";
import { createTeam } from "@/lib/domain/teams/create-team";
import { createUser } from "@/lib/domain/users/create-user";

/** Each test makes its own team and people, so tests never depend on each other. */
export async function makeOrg() {
  const sys = systemActor("test");
  const tag = randomUUID().slice(0, 8);
  const team = await createTeam(sys, {}, { slug: `team-${tag}`, name: `Team ${tag}` });
  const other = await createTeam(sys, {}, { slug: `other-${tag}`, name: `Other ${tag}` });
  const mk = async (role: UserActor["role"], teamIds: string[] = []): Promise<UserActor> => {
    const u = await createUser(sys, {}, { email: `${role}-${tag}@test.local`, name: `${role} ${tag}`, role, teamIds });
    return { type: "user", id: u.id, label: u.email, role, teamIds };
  };
  return {
    tag,
    team,
    other,
    admin: await mk("admin"),
    lead: await mk("team_lead", [team.id]),
    viewer: await mk("viewer"),
    auditor: await mk("auditor"),
  };
}

export const agentInput = (teamId: string, slug: string) => ({
  slug,
  name: `Agent ${slug}`,
  teamId,
  environment: "dev" as const,
  config: { model: "gpt-5-mini", tools: ["github.create_issue"], parameters: { temperature: 0.1 } },
});

/** A model price from a date: [input, cached input, output] US dollars per million tokens. */
export function priceModel(
  admin: UserActor,
  model: string,
  [inputUsdPerMTok, cachedInputUsdPerMTok, outputUsdPerMTok]: [number, number, number],
  effectiveFrom: Date,
  provider = "test",
) {
  return setModelPrice(
    admin,
    {},
    { provider, model, inputUsdPerMTok, cachedInputUsdPerMTok, outputUsdPerMTok, effectiveFrom },
  );
}

/**
 * The file's audit signing keys in a folder of its own (AUDIT_KEY_DIR), made before its tests and removed after:
 * the folder, for tests that look into it.
 */
export function withTempAuditKeys(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acp-audit-keys-"));
  beforeAll(() => {
    process.env.AUDIT_KEY_DIR = dir;
    reloadSigningKeys();
  });
  afterAll(() => {
    delete process.env.AUDIT_KEY_DIR;
    reloadSigningKeys();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/**
 * Back to UTC as if the zone had never changed: tests that change the zone (at instants of their own) would otherwise
 * leave later tests in the file periods still cut by those changes (PeriodZone in lib/domain/budgets/periods.ts).
 */
export async function resetTimeZone(admin: UserActor) {
  await db().orgSettings.update({ where: { id: 1 }, data: { periodZone: Prisma.DbNull } });
  await updateOrgSettings(admin, {}, { timeZone: "UTC" });
  await db().orgSettings.update({ where: { id: 1 }, data: { periodZone: Prisma.DbNull } });
}
