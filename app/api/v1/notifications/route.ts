import { listAlerts, unreadAlertCount } from "@/lib/domain/alerts/queries";
import { personRoute } from "@/lib/http/route";

/** Budget alerts the person may see, newest first, and how many are unread (the console's bell polls this). */
export const GET = personRoute({}, async ({ actor }) => {
  const [items, unreadCount] = await Promise.all([listAlerts(actor), unreadAlertCount(actor)]);
  return { unreadCount, items };
});
