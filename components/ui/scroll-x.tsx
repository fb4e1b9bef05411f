"use client";
import { useEffect, useRef, useState } from "react";

/**
 * A region that scrolls sideways (a table wider than a phone), with a fade at the right edge while more of it lies
 * past that edge: otherwise nothing says the hidden columns are there.
 */
export function ScrollX({ children }: { children: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const check = () => setMore(el.scrollWidth - el.clientWidth - el.scrollLeft > 4);
    check();
    el.addEventListener("scroll", check, { passive: true });
    const resized = new ResizeObserver(check);
    resized.observe(el);
    return () => {
      el.removeEventListener("scroll", check);
      resized.disconnect();
    };
  }, []);
  return (
    <div className="relative">
      {/* Focusable so a keyboard can scroll it (axe: scrollable-region-focusable). Positioned, so visually hidden
          (absolute) content in a cell is clipped by it rather than widening the page. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard */}
      <div ref={ref} className="relative overflow-x-auto" tabIndex={0}>
        {children}
      </div>
      {more ? (
        <div
          aria-hidden
          className="pointer-events-none absolute inset-y-0 right-0 w-12 bg-linear-to-l from-white to-transparent"
        />
      ) : null}
    </div>
  );
}
