"use client";

import { Menu, X } from "lucide-react";
import { usePathname } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { NavigationStatusContext } from "./navigation-status";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * The console frame: a skip link, the sidebar and the main column. From `lg` up the sidebar is a sticky column; below
 * it is a drawer that a menu button in the top bar opens. The drawer closes on navigation, on Escape and on the
 * backdrop; focus moves into it when it opens and back to the button when it closes. One sidebar in the DOM at every
 * width, so labels and test ids stay unique.
 *
 * A navigation that takes a while (a pending nav link, a section's loading skeleton) shows a thin bar at the top,
 * marks the content `aria-busy` and says "Loading <section>…" in a polite live region that is always in the DOM.
 */
export function ShellFrame({
  brand,
  topBarEnd,
  sidebar,
  children,
}: {
  brand: React.ReactNode;
  /** What the phone's top bar shows at its right end (the notifications bell, which the sidebar shows from `lg`). */
  topBarEnd?: React.ReactNode;
  sidebar: React.ReactNode;
  children: React.ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const drawer = useRef<HTMLElement>(null);
  const pathname = usePathname();
  const [loading, setLoading] = useState<{ id: number; label: string }[]>([]);
  const nextId = useRef(0);
  const begin = useCallback((label: string) => {
    const id = ++nextId.current;
    setLoading((l) => [...l, { id, label }]);
    return () => setLoading((l) => l.filter((x) => x.id !== id));
  }, []);
  const loadingLabel = loading.at(-1)?.label;

  const close = useCallback((returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) menuButton.current?.focus();
  }, []);

  // Navigation (a link in the drawer, Back, a redirect) closes it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each new path
  useEffect(() => {
    setOpen(false);
  }, [pathname]);

  useEffect(() => {
    if (!open) return;
    drawer.current?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        close(true);
        return;
      }
      // Keep Tab inside the open drawer.
      if (e.key !== "Tab" || !drawer.current) return;
      const items = [...drawer.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
      if (items.length === 0) return;
      const first = items[0];
      const last = items[items.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    };
    // Widening the window past `lg` turns the drawer back into a column.
    const wide = window.matchMedia("(min-width: 64rem)");
    const onWide = () => wide.matches && setOpen(false);
    // A link followed inside the drawer closes it, also one to the page already shown (no new path).
    const panel = drawer.current;
    const onClick = (e: MouseEvent) => {
      if ((e.target as HTMLElement).closest("a[href]")) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    wide.addEventListener("change", onWide);
    panel?.addEventListener("click", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      wide.removeEventListener("change", onWide);
      panel?.removeEventListener("click", onClick);
    };
  }, [open, close]);

  return (
    <NavigationStatusContext.Provider value={begin}>
      <div className="min-h-screen lg:flex">
        {loadingLabel ? (
          <div
            aria-hidden
            data-testid="navigation-progress"
            className="fixed inset-x-0 top-0 z-[60] h-0.5 overflow-hidden bg-indigo-100"
          >
            <div className="h-full w-1/3 bg-indigo-600 motion-safe:animate-progress-slide" />
          </div>
        ) : null}
        {/* A polite live region without role="status": a page's own result message is the one status on the page. */}
        <p aria-live="polite" aria-atomic="true" className="sr-only" data-testid="navigation-status">
          {loadingLabel ? `Loading ${loadingLabel}…` : ""}
        </p>
        <a
          href="#content"
          className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-indigo-700 focus:shadow-md focus:ring-1 focus:ring-slate-200"
        >
          Skip to content
        </a>
        <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b border-slate-200 bg-white px-3 lg:hidden">
          <button
            ref={menuButton}
            type="button"
            onClick={() => setOpen(true)}
            aria-expanded={open}
            aria-controls="sidebar"
            aria-label="Open navigation"
            className="rounded-md p-2 text-slate-600 hover:bg-slate-100 hover:text-slate-900"
          >
            <Menu className="size-5" aria-hidden />
          </button>
          {brand}
          {topBarEnd}
        </header>
        {open ? (
          <div aria-hidden className="fixed inset-0 z-40 bg-slate-900/40 lg:hidden" onClick={() => close(true)} />
        ) : null}
        <aside
          id="sidebar"
          ref={drawer}
          aria-label="Sidebar"
          className={cn(
            "fixed inset-y-0 left-0 z-50 flex w-64 max-w-[85vw] flex-col border-r border-slate-200 bg-white shadow-xl transition-transform duration-200",
            "lg:sticky lg:top-0 lg:z-auto lg:h-screen lg:w-56 lg:max-w-none lg:shrink-0 lg:translate-x-0 lg:self-start lg:shadow-none lg:transition-none",
            open ? "translate-x-0" : "max-lg:invisible -translate-x-full",
          )}
        >
          <button
            type="button"
            onClick={() => close(true)}
            aria-label="Close navigation"
            className="absolute right-2 top-3 rounded-md p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-900 lg:hidden"
          >
            <X className="size-5" aria-hidden />
          </button>
          {sidebar}
        </aside>
        <main
          id="content"
          tabIndex={-1}
          aria-busy={loadingLabel ? true : undefined}
          className="min-w-0 flex-1 px-4 py-5 outline-none sm:px-6 lg:px-8 lg:py-6"
        >
          {children}
        </main>
      </div>
    </NavigationStatusContext.Provider>
  );
}
