import "server-only";
import { randomBytes } from "node:crypto";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { invalid } from "../errors";
import { privateUrlReason } from "./outbound";
import { WebhookEndpointInputSchema } from "./schemas";

/** Registers an endpoint for every event; the signing secret is returned here only. */
export async function createWebhookEndpoint(actor: Actor, meta: RequestMeta, raw: unknown) {
  requireAdmin(actor);
  const input = WebhookEndpointInputSchema.parse(raw);
  const blocked = privateUrlReason(input.url);
  if (blocked)
    throw invalid(`The URL ${blocked}`, {
      url: [`${blocked}; set WEBHOOK_ALLOW_PRIVATE=1 to allow internal receivers`],
    });
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  return inTransaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.create({
      data: { name: input.name, url: input.url, secret, secretPrefix: secret.slice(0, 10) },
    });
    const { secret: _omit, ...safe } = endpoint;
    await writeAuditEvent(tx, actor, meta, {
      action: "webhook.created",
      targetType: "webhook_endpoint",
      targetId: endpoint.id,
      after: safe,
    });
    return { ...safe, secret };
  });
}
