"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { NOTIFICATIONS_KEY } from "./bell";

/** Opening the notifications page marks them read (for this person) and clears the bell. */
export function MarkAlertsRead({ unread }: { unread: number }) {
  const client = useQueryClient();
  const { mutate } = useMutation({
    mutationFn: async () => {
      const res = await fetch("/api/v1/notifications/read", { method: "POST" });
      // Read the answer whatever it is: Chromium does not finish a request whose uncached (no-store) answer nobody
      // reads, and the connection stays busy until it does.
      await res.text();
      if (!res.ok) throw new Error(`marking notifications read failed (${res.status})`);
    },
    // A bell poll in flight may have read the count before the POST: drop it, then show zero.
    onSuccess: async () => {
      await client.cancelQueries({ queryKey: NOTIFICATIONS_KEY });
      client.setQueryData(NOTIFICATIONS_KEY, (old: { approvalsWaiting?: number } | undefined) => ({
        ...old,
        unreadCount: 0,
      }));
    },
  });
  useEffect(() => {
    if (unread > 0) mutate();
  }, [unread, mutate]);
  return null;
}
