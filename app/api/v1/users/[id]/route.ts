import { getUser } from "@/lib/domain/users/queries";
import { PersonSchema, UserUpdateSchema } from "@/lib/domain/users/schemas";
import { updateUser } from "@/lib/domain/users/update-user";
import { personRoute, reply } from "@/lib/http/route";

const params = { id: "Person id" };

export const GET = personRoute(
  { tags: ["people"], summary: "One person", params, response: PersonSchema },
  ({ actor, params }) => getUser(actor, params.id),
);

export const PATCH = personRoute(
  {
    tags: ["people"],
    summary: "Change name, role, teams or password; applies from the person's next request",
    description: "409 last_admin keeps one admin.",
    params,
    body: UserUpdateSchema,
    response: PersonSchema,
    otherResponses: {
      202: {
        description: "Making the person an admin waits for a second admin (the other fields were saved)",
        content: { "application/json": PersonSchema },
      },
    },
    errors: [409],
  },
  async ({ actor, params, body, meta }) => {
    const { pendingChange } = await updateUser(actor, meta, params.id, body);
    const user = await getUser(actor, params.id);
    return pendingChange ? reply(202, { ...user, pendingChange }) : user;
  },
);
