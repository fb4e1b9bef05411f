"use client";

import { useQuery } from "@tanstack/react-query";
import { Bell } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { fetchJson } from "@/components/fetch-json";
import { cn } from "@/components/ui/cn";

export const NOTIFICATIONS_KEY = ["notifications"];

type Notifications = { unreadCount: number; approvalsWaiting: number };

/** Unread alerts and approvals waiting for this person: one poll every 30 s serves the bells and the navigation. */
export function useNotifications() {
  return useQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: () => fetchJson<Notifications>("/api/v1/notifications"),
    refetchInterval: 30_000,
  });
}

/**
 * Unread budget alerts and approvals waiting for this person, polled every 30 s. The shell shows one bell in the sidebar from `lg` up and one in the phone's
 * top bar below it (never both: the other is display:none); both read the same query, so one poll serves them.
 */
export function NotificationBell({ place = "sidebar" }: { place?: "sidebar" | "top-bar" }) {
  const { data } = useNotifications();
  const waiting = data?.approvalsWaiting ?? 0;
  const unread = (data?.unreadCount ?? 0) + waiting;
  const shown = unread > 99 ? "99+" : String(unread);
  const parts = [
    data?.unreadCount ? `${data.unreadCount} unread` : null,
    waiting ? `${waiting} waiting for your approval` : null,
  ].filter(Boolean);
  // The name holds the number the badge shows: the total leads when it is not one of the parts (both kinds, or 99+).
  const label = !parts.length ? "" : parts.length > 1 || unread > 99 ? `${shown} (${parts.join(", ")})` : parts[0];
  // Test ids stay unique in the page: the sidebar's bell keeps the plain ones.
  const prefix = place === "top-bar" ? "top-bar-" : "";
  // The notifications page has no entry in the navigation: the bell shows where you are.
  const here = usePathname() === "/notifications";
  return (
    <Link
      href="/notifications"
      aria-current={here ? "page" : undefined}
      className={cn(
        "relative ml-auto shrink-0 rounded-md",
        here
          ? "bg-indigo-50 text-indigo-700 hover:bg-indigo-100"
          : "text-slate-500 hover:bg-slate-100 hover:text-slate-900",
        // A finger-sized target in the top bar, as big as the menu button.
        place === "top-bar" ? "p-2" : "p-1.5 max-lg:hidden",
      )}
      aria-label={label ? `Notifications: ${label}` : "Notifications"}
      data-testid={`${prefix}notification-bell`}
    >
      <Bell className="size-5" aria-hidden />
      {unread > 0 ? (
        <span
          className="absolute -right-1 -top-1 min-w-5 rounded-full bg-rose-600 px-1 text-center text-[11px] font-semibold leading-5 text-white"
          data-testid={`${prefix}unread-count`}
        >
          {shown}
        </span>
      ) : null}
    </Link>
  );
}
