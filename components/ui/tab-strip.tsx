"use client";
import { useEffect, useRef } from "react";
import { cn } from "./cn";

/**
 * A row of tabs that scrolls sideways when it is wider than the screen (a phone), brought to the selected tab on
 * load: otherwise a tab past the edge is selected and out of sight.
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
  useEffect(() => {
    const strip = ref.current;
    const selected = strip?.querySelector<HTMLElement>('[aria-selected="true"]');
    if (!strip || !selected) return;
    const right = selected.offsetLeft + selected.offsetWidth;
    if (selected.offsetLeft < strip.scrollLeft || right > strip.scrollLeft + strip.clientWidth)
      strip.scrollLeft = right - strip.clientWidth + 16;
  });
  return (
    <div ref={ref} role="tablist" aria-label={label} className={cn("relative flex gap-1 overflow-x-auto", className)}>
      {children}
    </div>
  );
}
