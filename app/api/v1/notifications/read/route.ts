import { z } from "zod";
import { markAlertsRead } from "@/lib/domain/alerts/mark-alerts-read";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute(
  {
    tags: ["alerts"],
    summary: "Mark every alert read (for you)",
    response: z.object({ unreadCount: z.literal(0) }),
  },
  async ({ actor }) => {
    await markAlertsRead(actor);
    return { unreadCount: 0 };
  },
);
