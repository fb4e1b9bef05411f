"use client";

import { createContext, useContext, useEffect } from "react";

/**
 * How long a navigation may take before the console says it is loading. Faster ones show nothing (no flash of a bar
 * or a skeleton); slower ones get the top bar, `aria-busy` on the content and a polite "Loading …" announcement.
 */
export const PENDING_DELAY_MS = 250;

/** Starts a pending navigation for the shell to show; the function it returns ends it. */
type Begin = (label: string) => () => void;

export const NavigationStatusContext = createContext<Begin>(() => () => {});

/**
 * While `active`, tells the shell that `label` (a section name) is loading, from PENDING_DELAY_MS on. Used by the
 * navigation links (pending until the router commits) and by the loading skeletons (shown until the page streams in).
 */
export function useNavigationPending(label: string, active = true) {
  const begin = useContext(NavigationStatusContext);
  useEffect(() => {
    if (!active) return;
    let end: (() => void) | undefined;
    const timer = setTimeout(() => {
      end = begin(label);
    }, PENDING_DELAY_MS);
    return () => {
      clearTimeout(timer);
      end?.();
    };
  }, [begin, label, active]);
}
