import { shownActionError } from "@/lib/http/action-result";
import { cn } from "./cn";

/** A refused form call's message, from the page's `?actionError=` when this server signed it (withActionError). */
export function ActionError({
  searchParams,
  className,
}: {
  searchParams: Record<string, string | string[] | undefined>;
  className?: string;
}) {
  const message = shownActionError(searchParams);
  return message ? (
    <p role="alert" className={cn("rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700", className)}>
      {message}
    </p>
  ) : null;
}
