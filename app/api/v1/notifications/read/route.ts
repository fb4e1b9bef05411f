import { markAlertsRead } from "@/lib/domain/alerts/mark-alerts-read";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute({}, async ({ actor }) => {
  await markAlertsRead(actor);
  return { unreadCount: 0 };
});
