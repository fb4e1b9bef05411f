import { z } from "zod";
import { revokeUserSessions } from "@/lib/domain/users/revoke-user-sessions";
import { UserStatusSchema } from "@/lib/domain/users/schemas";
import { personRoute } from "@/lib/http/route";

/** Sign a person out everywhere: ends all their console sessions (admins). */
export const POST = personRoute(
  {
    tags: ["people"],
    summary: "Sign a person out everywhere: their console sessions end at their next request (tokens are not touched)",
    params: { id: "Person id" },
    body: UserStatusSchema,
    response: z.object({ revoked: z.number().int().meta({ description: "How many sessions ended" }) }),
  },
  ({ actor, params, body, meta }) => revokeUserSessions(actor, meta, params.id, body),
);
