import "server-only";
import { log } from "@/lib/log";

const holder = globalThis as unknown as { __acpPeriodic?: Map<string, NodeJS.Timeout> };

/**
 * Runs `task` every `intervalMs` in this server process: once per name however often it is started (a module loaded
 * again starts nothing new), never two runs at once (ticks while one runs are skipped), an error logged under the
 * name, and never keeping the process alive.
 */
export function runEvery(name: string, intervalMs: number, task: () => Promise<unknown>) {
  holder.__acpPeriodic ??= new Map();
  if (holder.__acpPeriodic.has(name)) return;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      await task();
    } catch (err) {
      log.error({ err: String(err) }, name);
    } finally {
      busy = false;
    }
  }, intervalMs);
  timer.unref();
  holder.__acpPeriodic.set(name, timer);
}
