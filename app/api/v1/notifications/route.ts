import { z } from "zod";
import { listAlerts, unreadAlertCount } from "@/lib/domain/alerts/queries";
import { BudgetAlertSchema } from "@/lib/domain/alerts/schemas";
import { inboxCount } from "@/lib/domain/approvals/inbox";
import { personRoute } from "@/lib/http/route";

/** Budget alerts the person may see, newest first, how many are unread, and what waits for their approval. */
export const GET = personRoute(
  {
    tags: ["alerts"],
    summary: "Budget threshold alerts you may see, with the unread count and the approvals waiting for you",
    response: z.object({
      unreadCount: z.number().int(),
      approvalsWaiting: z.number().int().meta({
        description: "Runtime approvals you may decide, and (admins) change requests another admin asked for",
      }),
      items: z.array(BudgetAlertSchema),
    }),
  },
  async ({ actor }) => {
    const [items, unreadCount, approvalsWaiting] = await Promise.all([
      listAlerts(actor),
      unreadAlertCount(actor),
      inboxCount(actor),
    ]);
    return { unreadCount, approvalsWaiting, items };
  },
);
