import "server-only";
import { db } from "@/lib/db/client";
import { type Actor, isAdmin, isAdminOrAuditor } from "../actor";
import { forbidden, invalid } from "../errors";
import { isMaskedUrl, maskUrl } from "../webhooks/mask-url";
import { diffConfig, planHash, summarise, waitingFor } from "./diff";
import { parseConfigDocument } from "./document";
import type { LiveIds } from "./live";
import { readLiveConfig } from "./live";
import { planImpact } from "./plan-impact";
import { type ConfigDocument, ConfigPlanInputSchema } from "./schemas";

/** The whole configuration is read by admins and auditors (as the audit trail is). */
function requireReader(actor: Actor) {
  if (!isAdminOrAuditor(actor)) throw forbidden("Only admins and auditors can read the whole configuration");
}

/** The live state as a configuration document: applying it changes nothing. */
export async function exportConfig(actor: Actor): Promise<ConfigDocument> {
  requireReader(actor);
  const { doc } = await readLiveConfig(db());
  return isAdmin(actor) ? doc : { ...doc, webhooks: doc.webhooks?.map((w) => ({ ...w, url: maskUrl(w.url) })) };
}

/**
 * What a document refers to must exist once it is applied: teams (live or in the document), owners (people of this
 * installation), agents of agent budgets; a new agent needs its config (it is registered with it as version 1).
 */
export function checkReferences(live: ConfigDocument, desired: ConfigDocument, ids: LiveIds) {
  const errors: Record<string, string[]> = {};
  const teams = new Set([...(live.teams ?? []).map((t) => t.slug), ...(desired.teams ?? []).map((t) => t.slug)]);
  const agents = new Set(desired.agents ? desired.agents.map((a) => a.slug) : (live.agents ?? []).map((a) => a.slug));
  const liveAgents = new Set((live.agents ?? []).map((a) => a.slug));
  desired.agents?.forEach((a, i) => {
    if (!teams.has(a.team)) errors[`document.agents.${i}.team`] = [`no team "${a.team}"`];
    if (a.owner && !ids.people.has(a.owner.toLowerCase()))
      errors[`document.agents.${i}.owner`] = [`no person with email ${a.owner}`];
    if (!liveAgents.has(a.slug) && !a.config)
      errors[`document.agents.${i}.config`] = ["a new agent needs its config (it becomes version 1)"];
  });
  // A masked URL (an auditor's export) stands for its live endpoint's only.
  const liveHooks = new Map((live.webhooks ?? []).map((w) => [w.name, w.url]));
  desired.webhooks?.forEach((w, i) => {
    const current = liveHooks.get(w.name);
    if (isMaskedUrl(w.url) && !(current && maskUrl(current) === w.url))
      errors[`document.webhooks.${i}.url`] = ["a masked URL that is not this endpoint's: give the real URL"];
  });
  desired.budgets?.forEach((b, i) => {
    if (b.agent && !agents.has(b.agent)) errors[`document.budgets.${i}.agent`] = [`no agent "${b.agent}"`];
    if (b.team && !teams.has(b.team)) errors[`document.budgets.${i}.team`] = [`no team "${b.team}"`];
  });
  if (Object.keys(errors).length) throw invalid("The configuration refers to what does not exist", errors);
}

/**
 * The exact changes a document would make, field by field, and the hash apply must be given; beside them what its
 * rule and budget changes would have done to the last 7 days of recorded calls. Changes nothing.
 */
export async function planConfig(actor: Actor, raw: unknown) {
  requireReader(actor);
  const input = ConfigPlanInputSchema.parse(raw);
  const desired = parseConfigDocument(input.document);
  const { doc: live, ids } = await readLiveConfig(db());
  checkReferences(live, desired, ids);
  // An auditor's webhook URLs are compared with the live ones as their export masks them: a URL given in full (a guess
  // at an endpoint's secret) plans a replacement whether or not it is the live one, and is shown without the
  // fingerprint, which they could compare with the live one's. Otherwise a plan would tell them whether a guess is right.
  const admin = isAdmin(actor);
  const compared = admin ? live : { ...live, webhooks: live.webhooks?.map((w) => ({ ...w, url: maskUrl(w.url) })) };
  const changes = diffConfig(compared, desired, ids.waiting);
  // A webhook's URL often embeds its secret (Slack-style): a plan shows it masked, as an auditor's export does, for
  // admins too (the CLI prints plans into CI logs; an admin reads URLs whole in the console or an export).
  const masked = (url: unknown) => (typeof url !== "string" || isMaskedUrl(url) ? url : maskUrl(url, admin));
  const shown = changes.map((c) =>
    c.kind !== "webhook"
      ? c
      : { ...c, fields: c.fields.map((f) => ({ ...f, from: masked(f.from), to: masked(f.to) })) },
  );
  return {
    planHash: planHash(live, desired, ids.waiting),
    changes: shown,
    summary: summarise(changes),
    waiting: waitingFor(desired, ids.waiting),
    impact: await planImpact(actor, desired, changes, ids),
  };
}
