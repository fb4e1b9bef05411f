import { getUser } from "@/lib/domain/users/queries";
import { PersonSchema, UserStatusSchema } from "@/lib/domain/users/schemas";
import { setUserStatus } from "@/lib/domain/users/set-user-status";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute(
  {
    tags: ["people"],
    summary: "Deactivate: no sign-in, sessions and personal tokens end for good (not yourself, not the last admin)",
    params: { id: "Person id" },
    body: UserStatusSchema,
    response: PersonSchema,
    errors: [409],
  },
  async ({ actor, params, body, meta }) => {
    await setUserStatus(actor, meta, params.id, "disabled", body);
    return getUser(actor, params.id);
  },
);
