import { deliverDueWebhooks } from "./deliver-webhooks";

const holder = globalThis as unknown as { __acpWebhookTimer?: NodeJS.Timeout };

/** Retries and any deliveries a crash left behind: polls the outbox on an interval, in the server process. */
export function startWebhookDispatcher(intervalMs = Number(process.env.WEBHOOK_POLL_MS ?? 10_000)) {
  if (holder.__acpWebhookTimer) return;
  let busy = false;
  holder.__acpWebhookTimer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      await deliverDueWebhooks();
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "webhook dispatcher", err: String(err) }));
    } finally {
      busy = false;
    }
  }, intervalMs);
  holder.__acpWebhookTimer.unref();
}
