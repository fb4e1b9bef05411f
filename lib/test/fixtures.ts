import { randomUUID } from "node:crypto";
import { systemActor, type UserActor } from "@/lib/domain/actor";
import { setModelPrice } from "@/lib/domain/pricing/set-model-price";
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
