/** Next.js calls this once when the server starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startAuditAppender } = await import("./lib/domain/audit/deferred");
    startAuditAppender();
    const { startCheckpointSigner } = await import("./lib/domain/audit/checkpoints");
    startCheckpointSigner();
    const { startRetentionPruner } = await import("./lib/domain/retention/prune");
    startRetentionPruner();
    const { startAuditSinkDispatcher } = await import("./lib/domain/audit/sinks/deliver");
    startAuditSinkDispatcher();
    const { startCanaryMonitor } = await import("./lib/domain/canaries/monitor");
    startCanaryMonitor();
    const { startOutcomeCostSweep } = await import("./lib/domain/outcomes/cost-alerts");
    startOutcomeCostSweep();
  }
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.WEBHOOK_DISPATCH !== "off") {
    const { startWebhookDispatcher } = await import("./lib/domain/webhooks/dispatcher");
    startWebhookDispatcher();
  }
}
