"use client";

import { ChevronDown } from "lucide-react";
import { type ReactNode, useId, useState } from "react";
import { cn } from "./cn";

/**
 * On a phone, `children` (a filter bar, say) folds behind a button naming it and how many of its fields are set, so
 * the list below comes into sight; from the small breakpoint up it is always shown and the button is not.
 */
export function PhoneFold({
  label,
  active,
  open: openAtFirst = false,
  children,
}: {
  label: string;
  active: number;
  /** Open from the start (e.g. a field in it was refused). */
  open?: boolean;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(openAtFirst);
  const id = useId();
  return (
    <>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
        className="flex w-full items-center justify-between px-3 py-2.5 text-sm font-medium text-slate-700 sm:hidden"
      >
        <span>
          {label}
          {active ? <span className="ml-1 font-normal text-slate-500">· {active} set</span> : null}
        </span>
        <ChevronDown aria-hidden className={cn("size-4 text-slate-500 transition-transform", open && "rotate-180")} />
      </button>
      <div id={id} className={cn(open ? "block border-t border-slate-100" : "hidden", "sm:block sm:border-t-0")}>
        {children}
      </div>
    </>
  );
}
