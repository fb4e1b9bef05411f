import "server-only";
import { log } from "@/lib/log";
import { expireDueApprovals } from "../approvals/expire-approvals";
import { deliverDueWebhooks } from "./deliver-webhooks";

const holder = globalThis as unknown as { __acpWebhookTimer?: NodeJS.Timeout };

/**
 * Retries and any deliveries a crash left behind: polls the outbox on an interval, in the server process. Each tick
 * first expires runtime approvals whose time is up, so their `approval.decided` webhooks go out unprompted.
 */
export function startWebhookDispatcher(intervalMs = Number(process.env.WEBHOOK_POLL_MS ?? 10_000)) {
  if (holder.__acpWebhookTimer) return;
  let busy = false;
  holder.__acpWebhookTimer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      await expireDueApprovals();
      await deliverDueWebhooks();
    } catch (err) {
      log.error({ err: String(err) }, "webhook dispatcher");
    } finally {
      busy = false;
    }
  }, intervalMs);
  holder.__acpWebhookTimer.unref();
}
