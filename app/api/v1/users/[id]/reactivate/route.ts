import { getUser } from "@/lib/domain/users/queries";
import { PersonSchema, UserStatusSchema } from "@/lib/domain/users/schemas";
import { setUserStatus } from "@/lib/domain/users/set-user-status";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute(
  {
    tags: ["people"],
    summary: "Reactivate a deactivated person",
    params: { id: "Person id" },
    body: UserStatusSchema,
    response: PersonSchema,
  },
  async ({ actor, params, body, meta }) => {
    await setUserStatus(actor, meta, params.id, "active", body);
    return getUser(actor, params.id);
  },
);
