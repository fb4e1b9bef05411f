import { getUser } from "@/lib/domain/users/queries";
import { setUserStatus } from "@/lib/domain/users/set-user-status";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute({}, async ({ actor, params, body, meta }) => {
  await setUserStatus(actor, meta, params.id, "disabled", body);
  return getUser(actor, params.id);
});
