"use client";

import { cn } from "@/components/ui/cn";
import { useNavigationPending } from "./navigation-status";

const bar = "rounded bg-slate-200/80 motion-safe:animate-pulse";

/**
 * The placeholder a console section's `loading.tsx` shows while its page streams in: the shell stays, the content
 * column gets the page's rough shape. It fades in only after PENDING_DELAY_MS, so a fast navigation does not flash
 * it; screen readers hear "Loading …" from the shell's live region instead of these shapes (aria-hidden).
 */
export function PageSkeleton({ label, variant }: { label: string; variant: "table" | "chart" | "detail" | "form" }) {
  useNavigationPending(label);
  return (
    <div aria-hidden data-testid="page-skeleton" data-section={label} className="animate-delayed-fade-in">
      <div className="mb-6 space-y-2">
        <div className={cn(bar, "h-7 w-40")} />
        <div className={cn(bar, "h-4 w-full max-w-md")} />
      </div>
      {variant === "chart" ? (
        <>
          <div className="mb-4 flex flex-wrap gap-2">
            {[0, 1, 2, 3, 4].map((i) => (
              <div key={i} className={cn(bar, "h-8 w-20")} />
            ))}
          </div>
          <Panel className="h-80" />
          <Rows count={5} />
        </>
      ) : variant === "detail" ? (
        <>
          <div className="mb-4 flex gap-4 border-b border-slate-200 pb-2">
            {[0, 1, 2, 3, 4].map((i) => (
              <div key={i} className={cn(bar, "h-5 w-16")} />
            ))}
          </div>
          <div className="grid gap-4 md:grid-cols-2">
            <Panel className="h-40" />
            <Panel className="h-40" />
          </div>
          <Rows count={4} />
        </>
      ) : variant === "form" ? (
        <div className="max-w-2xl space-y-5 rounded-lg bg-white p-5 ring-1 ring-slate-200">
          {[0, 1, 2, 3].map((i) => (
            <div key={i} className="space-y-2">
              <div className={cn(bar, "h-4 w-28")} />
              <div className={cn(bar, "h-9 w-full")} />
            </div>
          ))}
        </div>
      ) : (
        <>
          <div className="mb-4 flex flex-wrap gap-2">
            {[0, 1, 2].map((i) => (
              <div key={i} className={cn(bar, "h-9 w-36")} />
            ))}
          </div>
          <Rows count={8} />
        </>
      )}
    </div>
  );
}

function Panel({ className }: { className: string }) {
  return <div className={cn("rounded-lg bg-white ring-1 ring-slate-200", className)} />;
}

function Rows({ count }: { count: number }) {
  return (
    <div className="mt-4 divide-y divide-slate-100 rounded-lg bg-white ring-1 ring-slate-200">
      {Array.from({ length: count }, (_, i) => `row-${i}`).map((row) => (
        <div key={row} className="flex items-center gap-4 px-4 py-3">
          <div className={cn(bar, "h-4 w-1/4")} />
          <div className={cn(bar, "h-4 w-1/6")} />
          <div className={cn(bar, "ml-auto h-4 w-16")} />
        </div>
      ))}
    </div>
  );
}
