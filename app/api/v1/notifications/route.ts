import { z } from "zod";
import { listAlerts, unreadAlertCount } from "@/lib/domain/alerts/queries";
import { BudgetAlertSchema } from "@/lib/domain/alerts/schemas";
import { personRoute } from "@/lib/http/route";

/** Budget alerts the person may see, newest first, and how many are unread (the console's bell polls this). */
export const GET = personRoute(
  {
    tags: ["alerts"],
    summary: "Budget threshold alerts you may see, with the unread count",
    response: z.object({ unreadCount: z.number().int(), items: z.array(BudgetAlertSchema) }),
  },
  async ({ actor }) => {
    const [items, unreadCount] = await Promise.all([listAlerts(actor), unreadAlertCount(actor)]);
    return { unreadCount, items };
  },
);
