"use client";
import { useEffect, useRef } from "react";
import { cn } from "./cn";
import { EdgeFades, useMoreSideways } from "./scroll-x";

/**
 * A row of tabs that scrolls sideways when it is wider than the screen (a phone), brought to the selected tab on
 * load (otherwise a tab past the edge is selected and out of sight), with a fade over an edge past which more tabs lie.
 */
export function TabStrip({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: React.ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const more = useMoreSideways(ref);
  useEffect(() => {
    const strip = ref.current;
    const selected = strip?.querySelector<HTMLElement>('[aria-selected="true"]');
    if (!strip || !selected) return;
    const right = selected.offsetLeft + selected.offsetWidth;
    if (selected.offsetLeft < strip.scrollLeft || right > strip.scrollLeft + strip.clientWidth)
      strip.scrollLeft = right - strip.clientWidth + 16;
  });
  return (
    <div className="relative">
      <div ref={ref} role="tablist" aria-label={label} className={cn("relative flex gap-1 overflow-x-auto", className)}>
        {children}
      </div>
      <EdgeFades {...more} on="page" />
    </div>
  );
}
