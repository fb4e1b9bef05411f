"use client";

import { useRouter } from "next/navigation";
import { useOptimistic, useTransition } from "react";

/**
 * "Hide sign-ins" for the audit trail. The state lives in the URL (the page computes both addresses), so a filtered
 * view is shareable; the checkbox only navigates.
 */
export function SignInToggle({ hidden, hideHref, showHref }: { hidden: boolean; hideHref: string; showHref: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [checked, setChecked] = useOptimistic(hidden);
  return (
    <label className="inline-flex cursor-pointer flex-wrap items-center gap-x-2 text-sm text-slate-700">
      <input
        type="checkbox"
        className="size-4 rounded border-slate-300 text-indigo-600 focus-visible:ring-2 focus-visible:ring-indigo-500"
        checked={checked}
        aria-busy={pending}
        onChange={(e) => {
          const hide = e.currentTarget.checked;
          startTransition(() => {
            setChecked(hide);
            router.push(hide ? hideHref : showHref);
          });
        }}
        data-testid="hide-sign-ins"
      />
      Hide sign-ins
      <span className="text-xs text-slate-500">(failed sign-ins always show)</span>
    </label>
  );
}
