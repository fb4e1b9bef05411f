import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { RequestMeta, UserActor } from "@/lib/domain/actor";
import { requestMetaFrom } from "@/lib/http/request-meta";
import { authOptions } from "./options";

/** The signed-in person as an actor, or null. */
export async function getSessionActor(): Promise<UserActor | null> {
  const session = await getServerSession(authOptions);
  if (!session?.user?.id) return null;
  const u = session.user;
  return { type: "user", id: u.id, label: u.email, role: u.role, teamIds: u.teamIds ?? [] };
}

/** For pages and server actions: the signed-in actor, or a redirect to sign-in. */
export async function requireSessionActor(): Promise<UserActor> {
  const actor = await getSessionActor();
  if (!actor) redirect("/sign-in");
  return actor;
}

/** For server actions: the same request metadata as the API records (see lib/http/request-meta.ts). */
export async function requestMeta(): Promise<RequestMeta> {
  return requestMetaFrom(await headers());
}
