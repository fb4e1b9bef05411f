"use client";
import { useRef } from "react";
import { EdgeFades, useMoreSideways } from "./scroll-x";

/**
 * "On this page": links to a long page's sections, wrapped on a wide screen and one row scrolling sideways on a phone
 * (wrapped there, a long page's links pushed its content down a screen). Each target is a Card with that `id` (its
 * scroll margin keeps it clear of the phone's sticky top bar). A fade over an edge says more links lie past it.
 */
export function SectionLinks({ links }: { links: { id: string; label: string }[] }) {
  const ref = useRef<HTMLElement>(null);
  const more = useMoreSideways(ref);
  return (
    <div className="relative -mt-2 mb-6">
      <nav
        ref={ref}
        aria-label="On this page"
        className="flex items-center gap-1 overflow-x-auto pb-1 text-sm sm:flex-wrap sm:overflow-visible"
      >
        <span className="shrink-0 pr-1 text-slate-500">On this page:</span>
        {links.map((l) => (
          <a
            key={l.id}
            href={`#${l.id}`}
            className="shrink-0 rounded-md px-2 py-1 font-medium text-indigo-700 ring-1 ring-inset ring-slate-200 hover:bg-indigo-50"
          >
            {l.label}
          </a>
        ))}
      </nav>
      <EdgeFades {...more} on="page" />
    </div>
  );
}
