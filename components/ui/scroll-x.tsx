"use client";
import { type RefObject, useEffect, useRef, useState } from "react";
import { cn } from "./cn";

/** Whether more of a sideways-scrolling element lies past its left and right edges, kept up as it scrolls or resizes. */
export function useMoreSideways(ref: RefObject<HTMLElement | null>) {
  const [more, setMore] = useState({ left: false, right: false });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const check = () => {
      const left = el.scrollLeft > 4;
      const right = el.scrollWidth - el.clientWidth - el.scrollLeft > 4;
      setMore((m) => (m.left === left && m.right === right ? m : { left, right }));
    };
    check();
    el.addEventListener("scroll", check, { passive: true });
    const resized = new ResizeObserver(check);
    resized.observe(el);
    return () => {
      el.removeEventListener("scroll", check);
      resized.disconnect();
    };
  }, [ref]);
  return more;
}

/**
 * Fades over the edges of a sideways-scrolling element past which more of it lies (inside a positioned parent), into
 * what it lies on: a card (white) or the page.
 */
export function EdgeFades({ left, right, on = "card" }: { left: boolean; right: boolean; on?: "card" | "page" }) {
  const fade = cn(
    "pointer-events-none absolute inset-y-0 w-12 to-transparent",
    on === "card" ? "from-white" : "from-slate-50",
  );
  return (
    <>
      {left ? <div aria-hidden className={cn(fade, "left-0 bg-linear-to-r")} /> : null}
      {right ? <div aria-hidden className={cn(fade, "right-0 bg-linear-to-l")} /> : null}
    </>
  );
}

/**
 * A region that scrolls sideways (a table wider than a phone), with a fade at the right edge while more of it lies
 * past that edge: otherwise nothing says the hidden columns are there.
 */
export function ScrollX({ children }: { children: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const { right } = useMoreSideways(ref);
  return (
    <div className="relative">
      {/* Focusable so a keyboard can scroll it (axe: scrollable-region-focusable). Positioned, so visually hidden
          (absolute) content in a cell is clipped by it rather than widening the page. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard */}
      <div ref={ref} className="relative overflow-x-auto" tabIndex={0}>
        {children}
      </div>
      <EdgeFades left={false} right={right} />
    </div>
  );
}
