import type { ActionState } from "@/lib/http/action-result";
import { cn } from "./cn";

/** A form's outcome under it: a polite status when it worked, an alert when it did not. */
export function FormMessage({ state, className }: { state: ActionState; className?: string }) {
  if (!state.message) return null;
  return (
    <p
      role={state.ok ? "status" : "alert"}
      className={cn("text-sm", state.ok ? "text-emerald-700" : "text-rose-600", className)}
    >
      {state.message}
    </p>
  );
}
