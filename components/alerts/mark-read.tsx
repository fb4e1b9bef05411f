"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { fetchJson } from "@/components/fetch-json";
import { NOTIFICATIONS_KEY } from "./bell";

/** Opening the notifications page marks them read (for this person) and clears the bell. */
export function MarkAlertsRead({ unread }: { unread: number }) {
  const client = useQueryClient();
  const { mutate } = useMutation({
    mutationFn: () => fetchJson("/api/v1/notifications/read", { method: "POST" }),
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
