import { createUser } from "@/lib/domain/users/create-user";
import { listUsers } from "@/lib/domain/users/queries";
import { ListUsersQuerySchema, type UserInput } from "@/lib/domain/users/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({ query: ListUsersQuerySchema }, ({ actor, query }) => listUsers(actor, query));

export const POST = personRoute({ status: 201 }, ({ actor, body, meta }) => createUser(actor, meta, body as UserInput));
