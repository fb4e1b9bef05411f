import "server-only";
import { EventEmitter } from "node:events";

/*
 * Wakes long-polls in this process as soon as an approval is decided. Other instances find out by polling the row
 * (at most a second late), so this is an optimisation, never the only path.
 */
const holder = globalThis as unknown as { __acpApprovalSignals?: EventEmitter };
holder.__acpApprovalSignals ??= new EventEmitter().setMaxListeners(0);
const signals = holder.__acpApprovalSignals;

export function signalApprovalDecided(id: string): void {
  signals.emit(id);
}

/** Resolves when the approval is signalled, after `ms`, or when the request is aborted, whichever comes first. */
export function waitForSignal(id: string, ms: number, abort?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signals.off(id, done);
      abort?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signals.once(id, done);
    abort?.addEventListener("abort", done, { once: true });
  });
}
