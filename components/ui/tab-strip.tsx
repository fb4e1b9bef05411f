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
  const shown = useRef<HTMLElement | null>(null); // the selected tab last brought into sight
  useEffect(() => {
    const strip = ref.current;
    const selected = strip?.querySelector<HTMLElement>('[aria-selected="true"]');
    // Once per selected tab: the strip draws again as it is scrolled (its edge fades), and must stay where it is put.
    if (!strip || !selected || selected === shown.current) return;
    shown.current = selected;
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
