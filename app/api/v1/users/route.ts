import { createUser } from "@/lib/domain/users/create-user";
import { listUsers } from "@/lib/domain/users/queries";
import { ListUsersQuerySchema, PersonSchema, PublicUserSchema, UserInputSchema } from "@/lib/domain/users/schemas";
import { pageOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["people"],
    summary: "People who can sign in, by e-mail (admins and auditors; keyset pagination)",
    query: ListUsersQuerySchema,
    response: pageOf(PersonSchema),
  },
  ({ actor, query }) => listUsers(actor, query),
);

export const POST = personRoute(
  {
    tags: ["people"],
    summary: "Add a person with a role, teams and an optional first password (none: SSO only)",
    description: "Adding an admin waits for a second admin (`pendingChange`).",
    body: UserInputSchema,
    response: PublicUserSchema,
    status: 201,
    errors: [409],
  },
  ({ actor, body, meta }) => createUser(actor, meta, body),
);
