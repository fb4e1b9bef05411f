import { getServerSession } from "next-auth";
import { NextResponse, type NextRequest } from "next/server";
import type { ZodType } from "zod";
import { authOptions } from "@/lib/auth/options";
import { actorFromPersonalToken } from "@/lib/auth/tokens";
import type { RequestMeta, UserActor } from "@/lib/domain/actor";
import { DomainError } from "@/lib/domain/errors";
import { errorBody, errorResponse } from "./errors";
import { toJson } from "./json";

type Ctx<Q> = { actor: UserActor; body: unknown; query: Q; params: Record<string, string>; meta: RequestMeta; req: NextRequest };

async function personActor(req: NextRequest): Promise<UserActor | null> {
  const auth = req.headers.get("authorization");
  if (auth?.toLowerCase().startsWith("bearer ")) return actorFromPersonalToken(auth.slice(7).trim());
  const session = await getServerSession(authOptions);
  if (!session?.user?.id) return null;
  const u = session.user;
  return { type: "user", id: u.id, label: u.email, role: u.role, teamIds: u.teamIds ?? [] };
}

/**
 * A thin API route for people and their scripts (session cookie or personal access token): parse, authenticate,
 * call one domain function, map errors through one table. Handlers return data (serialised as JSON) or a Response.
 */
export function personRoute<Q = undefined>(
  opts: { query?: ZodType<Q>; status?: number },
  handler: (ctx: Ctx<Q>) => Promise<unknown>,
) {
  return async (req: NextRequest, context: { params: Promise<Record<string, string>> }) => {
    const requestId = req.headers.get("x-request-id") ?? crypto.randomUUID();
    try {
      const actor = await personActor(req);
      if (!actor) {
        return NextResponse.json(errorBody("unauthenticated", "Sign in or send a personal access token (Authorization: Bearer …)"), { status: 401, headers: { "x-request-id": requestId } });
      }
      // The body is validated by the domain function, after its authorization check: a viewer gets 403, not 422.
      let body: unknown = undefined;
      if (req.method !== "GET" && req.method !== "HEAD" && req.method !== "DELETE") {
        const text = await req.text();
        try {
          body = text ? JSON.parse(text) : {};
        } catch {
          throw new DomainError("validation", "invalid_json", "The request body is not valid JSON");
        }
      }
      const query = (opts.query ? opts.query.parse(Object.fromEntries(req.nextUrl.searchParams)) : undefined) as Q;
      const meta = { requestId, ip: req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null };
      const result = await handler({ actor, body, query, params: (await context.params) ?? {}, meta, req });
      if (result instanceof Response) return result;
      return NextResponse.json(toJson(result), { status: opts.status ?? 200, headers: { "x-request-id": requestId } });
    } catch (err) {
      return errorResponse(err, requestId);
    }
  };
}

