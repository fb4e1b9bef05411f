import { NextResponse } from "next/server";
import { getUser } from "@/lib/domain/users/queries";
import type { UserUpdate } from "@/lib/domain/users/schemas";
import { updateUser } from "@/lib/domain/users/update-user";
import { toJson } from "@/lib/http/json";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, ({ actor, params }) => getUser(actor, params.id));

export const PATCH = personRoute({}, async ({ actor, params, body, meta }) => {
  const { pendingChange } = await updateUser(actor, meta, params.id, body as UserUpdate);
  const user = await getUser(actor, params.id);
  // 202: making the person an admin waits for a second admin (the other fields were saved).
  return pendingChange ? NextResponse.json(toJson({ ...user, pendingChange }), { status: 202 }) : user;
});
