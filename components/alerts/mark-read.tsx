"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { NOTIFICATIONS_KEY } from "./bell";

/** Opening the notifications page marks them read (for this person) and clears the bell. */
export function MarkAlertsRead({ unread }: { unread: number }) {
  const client = useQueryClient();
  useEffect(() => {
    if (unread === 0) return;
    fetch("/api/v1/notifications/read", { method: "POST" }).then(() =>
      client.setQueryData(NOTIFICATIONS_KEY, { unreadCount: 0 }),
    );
  }, [unread, client]);
  return null;
}
