import "server-only";
import { randomBytes } from "node:crypto";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, invalid } from "../errors";
import { lockWebhookEndpoints } from "../locks";
import { requireFreshProof, tokensStillIssue } from "../users/fresh-proof";
import { maskUrl } from "./mask-url";
import { outboundUrlProblem } from "./outbound";
import { WebhookEndpointInputSchema } from "./schemas";

/** Every event is queued for every endpoint inside the transaction that raised it (authorize, ingestion…). */
export const MAX_WEBHOOK_ENDPOINTS = 20;

/**
 * Registers an endpoint for every event; the signing secret is returned here only. Events go on to it for as long
 * as it stays (approval requests with their calls' arguments, alerts): a stolen cookie must not leave one behind, so
 * this asks for fresh proof (requireFreshProof).
 */
export async function createWebhookEndpoint(actor: Actor, meta: RequestMeta, raw: unknown) {
  requireAdmin(actor);
  const input = validInput(raw); // a bad URL is refused before the password is asked for
  await requireFreshProof(actor, meta, input.currentPassword, "add a webhook endpoint");
  return insert(actor, meta, input);
}

/** createWebhookEndpoint once the proof is given (a configuration apply asks for it once, for all its endpoints). */
export async function insertWebhookEndpoint(actor: Actor, meta: RequestMeta, raw: unknown) {
  requireAdmin(actor);
  return insert(actor, meta, validInput(raw));
}

function validInput(raw: unknown) {
  const input = WebhookEndpointInputSchema.parse(raw);
  const refused = outboundUrlProblem(input.url);
  if (refused) throw invalid(refused.title, { url: [refused.field] });
  return input;
}

async function insert(actor: Actor, meta: RequestMeta, input: ReturnType<typeof validInput>) {
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  return inTransaction(async (tx) => {
    await tokensStillIssue(tx, actor, "add a webhook endpoint");
    await lockWebhookEndpoints(tx);
    if ((await tx.webhookEndpoint.count()) >= MAX_WEBHOOK_ENDPOINTS)
      throw conflict("limit_reached", `At most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints: delete one first`);
    const endpoint = await tx.webhookEndpoint.create({
      data: { name: input.name, url: input.url, secret, secretPrefix: secret.slice(0, 10) },
    });
    const { secret: _omit, ...safe } = endpoint;
    await writeAuditEvent(tx, actor, meta, {
      action: "webhook.created",
      targetType: "webhook_endpoint",
      targetId: endpoint.id,
      after: { ...safe, url: maskUrl(safe.url) },
    });
    return { ...safe, secret };
  });
}
