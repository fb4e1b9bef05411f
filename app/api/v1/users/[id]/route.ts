import { getUser } from "@/lib/domain/users/queries";
import type { UserUpdate } from "@/lib/domain/users/schemas";
import { updateUser } from "@/lib/domain/users/update-user";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, ({ actor, params }) => getUser(actor, params.id));

export const PATCH = personRoute({}, async ({ actor, params, body, meta }) => {
  await updateUser(actor, meta, params.id, body as UserUpdate);
  return getUser(actor, params.id);
});
