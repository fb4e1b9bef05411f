import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { cache } from "react";
import type { RequestMeta, UserActor } from "@/lib/domain/actor";
import { requestMetaFrom } from "@/lib/http/request-meta";
import { authOptions } from "./options";

export type SessionActor = UserActor & { sessionId: string; mustChangePassword: boolean };

/**
 * The signed-in person as an actor (read with their live session row), or null. Cached per server render, so
 * a layout and its page share the one read.
 */
export const getSessionActor = cache(async (): Promise<SessionActor | null> => {
  const session = await getServerSession(authOptions);
  if (!session?.user?.id) return null;
  const u = session.user;
  return {
    type: "user",
    id: u.id,
    label: u.email,
    role: u.role,
    teamIds: u.teamIds ?? [],
    sessionId: u.sessionId,
    mustChangePassword: !!u.mustChangePassword,
  };
});

/**
 * For pages and server actions: the signed-in actor, or a redirect to sign-in. A person holding a one-time
 * (admin-set) password is sent to choose their own first; only the change-password page and its action pass
 * `{ passwordChange: true }`.
 */
export async function requireSessionActor(opts: { passwordChange?: boolean } = {}): Promise<SessionActor> {
  const actor = await getSessionActor();
  if (!actor) redirect("/sign-in");
  if (actor.mustChangePassword && !opts.passwordChange) redirect("/change-password");
  return actor;
}

/** For server actions: the same request metadata as the API records (see lib/http/request-meta.ts). */
export async function requestMeta(): Promise<RequestMeta> {
  return requestMetaFrom(await headers());
}
