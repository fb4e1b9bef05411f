import { revokeUserSessions } from "@/lib/domain/users/revoke-user-sessions";
import { personRoute } from "@/lib/http/route";

/** Sign a person out everywhere: ends all their console sessions (admins). */
export const POST = personRoute({}, ({ actor, params, body, meta }) =>
  revokeUserSessions(actor, meta, params.id, body),
);
