import "server-only";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { postJson } from "./outbound";
import { SIGNATURE_HEADER, signWebhook } from "./signature";

export const MAX_ATTEMPTS = Number(process.env.WEBHOOK_MAX_ATTEMPTS ?? 8);
const TIMEOUT_MS = Number(process.env.WEBHOOK_TIMEOUT_MS ?? 10_000);
/** While a delivery is being sent its next attempt is pushed this far out, so a second dispatcher skips it. */
const LEASE_MS = TIMEOUT_MS + 30_000;

/** Exponential back-off after the n-th failed attempt: 30 s, 1 min, 2 min… capped at 1 hour. */
export function backoffMs(attempt: number): number {
  const base = Number(process.env.WEBHOOK_BACKOFF_BASE_MS ?? 30_000);
  return Math.min(base * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

type Claimed = {
  id: string;
  endpointId: string;
  eventType: string;
  payload: unknown;
  attempts: number;
  url: string;
  secret: string;
};

/**
 * Sends due deliveries from the outbox: claims a batch (FOR UPDATE SKIP LOCKED plus a lease, so concurrent
 * dispatchers in several app instances never send one delivery at the same time), POSTs each with its HMAC
 * signature, and records the status code. Failures are retried with back-off until MAX_ATTEMPTS.
 */
export async function deliverDueWebhooks(
  opts: { limit?: number; ids?: string[] } = {},
): Promise<{ sent: number; failed: number }> {
  const now = new Date();
  const lease = new Date(now.getTime() + LEASE_MS);
  const ids = opts.ids ?? null;
  const claimed = await db().$queryRaw<Claimed[]>`
    UPDATE webhook_deliveries d SET "nextAttemptAt" = ${lease}::timestamp(3)
    FROM webhook_endpoints e
    WHERE d."endpointId" = e.id AND d.id IN (
      SELECT id FROM webhook_deliveries
      WHERE status = 'pending' AND "nextAttemptAt" <= ${now}::timestamp(3) AND (${ids}::text[] IS NULL OR id = ANY(${ids}::text[]))
      ORDER BY "nextAttemptAt" LIMIT ${opts.limit ?? 50} FOR UPDATE SKIP LOCKED)
    RETURNING d.id, d."endpointId", d."eventType", d.payload, d.attempts, e.url, e.secret`;
  let sent = 0;
  let failed = 0;
  await Promise.all(
    claimed.map(async (d) => {
      const body = JSON.stringify({ id: d.id, ...(d.payload as object) });
      let status: number | null = null;
      let error: string | null = null;
      try {
        status = await postJson(
          d.url,
          {
            "content-type": "application/json",
            "user-agent": "agent-control-plane-webhooks/1",
            "x-acp-event": d.eventType,
            "x-acp-delivery": d.id,
            [SIGNATURE_HEADER]: signWebhook(d.secret, body),
          },
          body,
          TIMEOUT_MS,
        );
        if (status < 200 || status > 299) error = `HTTP ${status}`;
      } catch (err) {
        const e = err as { name?: string; code?: string; message?: string };
        error = (
          e.name === "AbortError" || e.name === "TimeoutError" || e.code === "ETIMEDOUT"
            ? "timed out"
            : `${e.message ?? "request failed"}${e.code && !e.message?.includes(e.code) ? ` (${e.code})` : ""}`
        ).slice(0, 300);
      }
      const attempts = d.attempts + 1;
      if (!error) {
        sent++;
        await db().webhookDelivery.update({
          where: { id: d.id },
          data: { status: "succeeded", attempts, lastStatus: status, lastError: null, deliveredAt: new Date() },
        });
      } else {
        failed++;
        const giveUp = attempts >= MAX_ATTEMPTS;
        await db().webhookDelivery.update({
          where: { id: d.id },
          data: {
            status: giveUp ? "failed" : "pending",
            attempts,
            lastStatus: status,
            lastError: error,
            nextAttemptAt: new Date(Date.now() + (giveUp ? 0 : backoffMs(attempts))),
          },
        });
      }
    }),
  );
  return { sent, failed };
}

let running: Promise<unknown> | null = null;

/** Fire-and-forget after a commit that queued deliveries; one run at a time per process. */
export function kickWebhookDispatch(): void {
  if (running) return;
  running = deliverDueWebhooks()
    .catch((err) => log.error({ err: String(err) }, "webhook dispatch failed"))
    .finally(() => {
      running = null;
    });
}
