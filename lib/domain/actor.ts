import type { Role } from "@/lib/db/generated/enums";
import { DomainError, forbidden } from "./errors";

/** Who is acting, and from where. Every command takes one; the audit trail records it. */
export type Actor =
  // `scopes`: set when acting through a scoped token (e.g. a CI token limited to evals:write).
  // `sessionId`: set when acting through a console session (so "end my other sessions" can keep this one).
  // `viaToken`: acting through a personal access token (which cannot mint another token); `tokenId`: which one.
  | {
      type: "user";
      id: string;
      label: string;
      role: Role;
      teamIds: string[];
      scopes?: string[];
      sessionId?: string;
      viaToken?: true;
      tokenId?: string;
    }
  | { type: "agent"; id: string; label: string; teamId: string }
  | { type: "system"; id: null; label: string };

export type RequestMeta = {
  requestId?: string | null;
  ip?: string | null;
  /** The browser said another site started the request (`Sec-Fetch-Site`): a link or form elsewhere led here. */
  crossSite?: boolean;
};

export const systemActor = (label = "system"): Actor => ({ type: "system", id: null, label });

export type UserActor = Extract<Actor, { type: "user" }>;

export function isAdmin(actor: Actor): boolean {
  return actor.type === "system" || (actor.type === "user" && actor.role === "admin");
}

/** Admins and auditors read the whole record: the audit trail, and who may do what. */
export function isAdminOrAuditor(actor: Actor): boolean {
  return actor.type === "system" || (actor.type === "user" && (actor.role === "admin" || actor.role === "auditor"));
}

export function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw forbidden("Only admins can do this");
}

/**
 * For a read that is audited in the reader's name (an export, a lookup of a person) and answers a GET: another site's
 * link must not be able to make one with a person's cookie. A token is not sent by the browser, so it may.
 */
export function refuseCrossSiteRead(actor: Actor, meta: RequestMeta, message: string): void {
  if (meta.crossSite && !(actor.type === "user" && actor.viaToken))
    throw new DomainError("forbidden", "cross_origin", message);
}

/** Team scope for reads: null means every team; otherwise the teams the actor may see. */
export function readableTeamIds(actor: Actor): string[] | null {
  if (actor.type === "system") return null;
  if (actor.type === "agent") return [actor.teamId];
  if (actor.role === "team_lead") return actor.teamIds;
  return null; // admin, auditor and viewer read the whole organisation
}

/**
 * Whether the actor may know that an object of this team exists. Objects outside a team lead's teams answer
 * "not found", exactly as if absent: a 403 for them (and a 404 for missing ones) would tell which exist.
 */
export function canSeeTeam(actor: Actor, teamId: string | null): boolean {
  const teams = readableTeamIds(actor);
  return teams === null || (teamId !== null && teams.includes(teamId));
}
