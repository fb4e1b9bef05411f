import "server-only";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { runEvery } from "@/lib/periodic";
import { compareCanary } from "./compare";
import { autoRollBack } from "./end-canary";

/** One pass of the guard: each running canary compared with stable; a breach rolls it back. Returns the rolled back. */
export async function checkCanaries(): Promise<string[]> {
  const running = await db().canary.findMany({ where: { status: "running" } });
  const rolledBack: string[] = [];
  for (const c of running) {
    const { breach } = await compareCanary(db(), c);
    if (breach && (await autoRollBack(c.agentId, c.id))) {
      log.warn({ canaryId: c.id, agentId: c.agentId, breach }, "canary rolled back by its guard");
      rolledBack.push(c.id);
    }
  }
  return rolledBack;
}

/** Checks the running canaries every CANARY_CHECK_MS (default 10 s), in every instance (a rollback is idempotent). */
export function startCanaryMonitor(intervalMs = Number(process.env.CANARY_CHECK_MS) || 10_000) {
  runEvery("canary monitor", intervalMs, checkCanaries);
}
