"use client";

import { useQuery } from "@tanstack/react-query";
import { Bell } from "lucide-react";
import Link from "next/link";

export const NOTIFICATIONS_KEY = ["notifications"];

/** Unread budget alerts, polled every 30 s. */
export function NotificationBell() {
  const { data } = useQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: async (): Promise<{ unreadCount: number }> => {
      const res = await fetch("/api/v1/notifications");
      if (!res.ok) throw new Error(`notifications failed (${res.status})`);
      return res.json();
    },
    refetchInterval: 30_000,
  });
  const unread = data?.unreadCount ?? 0;
  return (
    <Link
      href="/notifications"
      className="relative ml-auto rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900"
      aria-label={unread ? `Notifications: ${unread} unread` : "Notifications"}
      data-testid="notification-bell"
    >
      <Bell className="size-5" aria-hidden />
      {unread > 0 ? (
        <span
          className="absolute -right-1 -top-1 min-w-5 rounded-full bg-rose-600 px-1 text-center text-[11px] font-semibold leading-5 text-white"
          data-testid="unread-count"
        >
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </Link>
  );
}
