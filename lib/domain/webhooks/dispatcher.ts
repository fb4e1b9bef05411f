import "server-only";
import { runEvery } from "@/lib/periodic";
import { expireDueApprovals } from "../approvals/expire-approvals";
import { deliverDueWebhooks } from "./deliver-webhooks";

/**
 * Retries and any deliveries a crash left behind: polls the outbox on an interval, in the server process. Each tick
 * first expires runtime approvals whose time is up, so their `approval.decided` webhooks go out unprompted.
 */
export function startWebhookDispatcher(intervalMs = Number(process.env.WEBHOOK_POLL_MS ?? 10_000)) {
  runEvery("webhook dispatcher", intervalMs, async () => {
    await expireDueApprovals();
    await deliverDueWebhooks();
  });
}
