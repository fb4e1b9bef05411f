import "server-only";
import type { NextRequest } from "next/server";
import { getServerSession } from "next-auth";
import type { ZodType } from "zod";
import { agentFromKey, type Preload } from "@/lib/auth/agent-key";
import { authOptions } from "@/lib/auth/options";
import { actorFromPersonalToken } from "@/lib/auth/tokens";
import type { Actor, RequestMeta, UserActor } from "@/lib/domain/actor";
import { DomainError } from "@/lib/domain/errors";
import { enforceRateLimit, limits, refuseOverLimit } from "@/lib/domain/limits/rate-limit";
import { log } from "@/lib/log";
import { readBodyLimited } from "./body";
import { errorBody, errorResponse } from "./errors";
import { assertWellFormedParams, badPath, isWellEncodedPath, nulCharacter, parseJsonBody } from "./hostile-input";
import { jsonResponse, toJson } from "./json";
import { requestMetaFrom } from "./request-meta";
import { requireSameOriginWrite } from "./same-origin";

type Base<Q> = { body: unknown; query: Q; params: Record<string, string>; meta: RequestMeta; req: NextRequest };

/**
 * A success answer: the JSON body's schema, or a description with its body per content type (CSV, NDJSON,
 * protobuf), or none (304).
 */
export type Success = ZodType | { description: string; content?: Record<string, ZodType> };

/**
 * An endpoint, declared once: the route file's declaration is its documentation (the OpenAPI document is generated
 * from these, with the path and method from where the route file is) and its contract (with
 * ACP_VALIDATE_RESPONSES=1 every success body is checked against `response`).
 */
export type RouteSpec<Q = unknown> = {
  summary: string;
  description?: string;
  tags: [string, ...string[]];
  /** What each path parameter is, by its folder name ([id] → id). */
  params?: Record<string, string>;
  /** Parsed before the handler runs (422 on bad input); the handler receives the parsed value. */
  query?: ZodType<Q, Record<string, unknown>>;
  /** Documented only: the domain function parses the query itself, after its authorization check. */
  domainQuery?: ZodType<unknown, Record<string, unknown>>;
  /**
   * The JSON request body. The domain command parses it with this same schema after its authorization check
   * (so a viewer gets 403, not 422), which is why the handler passes `body` on unparsed.
   */
  body?: ZodType;
  /** The success answer at `status` (default 200). */
  response: Success;
  status?: number;
  /** Other success answers, by status: the handler answers them with `reply(status, data)` (or a Response). */
  otherResponses?: Record<number, Success>;
  /**
   * Error statuses beyond the ones every route of its kind may answer: 401 and 429 (and 403 for people); 404 with
   * path parameters; 422 with a query; 400, 413 and 422 with a body.
   */
  errors?: number[];
  /** The token scope that also grants this route (a scoped token reaches only routes naming its scope). */
  scope?: string;
  /** The handler reads the request itself (e.g. OTLP protobuf) and enforces its own size limits. */
  rawBody?: boolean;
};

export type Auth = "person" | "agent";
/** A route handler that carries its declaration (read by the OpenAPI generator). */
export type DeclaredRoute = ((req: NextRequest, context: RouteContext) => Promise<Response>) & {
  spec: RouteSpec & { auth: Auth };
};

/** A JSON answer with another status than the declared one (declared in `otherResponses`), and extra headers. */
class Reply {
  constructor(
    readonly status: number,
    readonly data: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}
export const reply = (status: number, data: unknown, headers?: Record<string, string>) =>
  new Reply(status, data, headers);

type RouteContext = { params: Promise<Record<string, string>> };

function bearer(req: NextRequest): string | null {
  const auth = req.headers.get("authorization");
  return auth?.toLowerCase().startsWith("bearer ") ? auth.slice(7).trim() : null;
}

async function personActor(req: NextRequest, opts: { rawBody?: boolean }): Promise<UserActor | null> {
  const token = bearer(req);
  if (token) return actorFromPersonalToken(token);
  const session = await getServerSession(authOptions);
  if (!session?.user?.id) return null;
  const u = session.user;
  // The session cookie rides along on requests other sites make: writes must be same-origin JSON.
  requireSameOriginWrite(req, { jsonBody: !opts.rawBody });
  if (u.mustChangePassword)
    throw new DomainError(
      "forbidden",
      "password_change_required",
      "Choose your own password first: sign in to the console, which asks for it",
    );
  return { type: "user", id: u.id, label: u.email, role: u.role, teamIds: u.teamIds ?? [], sessionId: u.sessionId };
}

/** JSON bodies above this are refused with 413 before they are parsed. */
export const MAX_JSON_BODY = 1024 * 1024;
const tooLarge = () =>
  new DomainError("too_large", "payload_too_large", `The request body is over ${MAX_JSON_BODY / 1024} KiB`);

/** PostgreSQL text cannot hold NUL characters: refuse them up front (raw, or JSON-escaped) instead of failing later. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching NUL is the point
const NUL = /\u0000|\\u0000/i;

const unauthenticated = (message: string, requestId: string) =>
  jsonResponse(errorBody("unauthenticated", message), { status: 401, headers: { "x-request-id": requestId } });

/** The JSON schema of a declared success status (undefined: not declared, or no JSON body). */
export function successSchema(spec: RouteSpec, status: number): ZodType | undefined {
  const declared = status === (spec.status ?? 200) ? spec.response : spec.otherResponses?.[status];
  if (!declared) return undefined;
  return "_zod" in declared ? declared : declared.content?.["application/json"];
}

function isDeclared(spec: RouteSpec, status: number): boolean {
  return status === (spec.status ?? 200) || spec.otherResponses?.[status] !== undefined;
}

/**
 * In tests (ACP_VALIDATE_RESPONSES=1) every answer is checked against the route's declaration: an undeclared
 * status or a JSON body that does not match its schema becomes a 500 `response_schema`, so every API, role-matrix
 * and fuzzing call (which already assert "never a 5xx") also checks the documented contract. So does a request body
 * the command accepted that the declared `body` schema refuses (the route documents another schema than the
 * command parses with).
 */
export function contractBreach(
  spec: RouteSpec,
  status: number,
  json: unknown,
  requestId: string,
  body?: unknown,
): Response | null {
  if (process.env.ACP_VALIDATE_RESPONSES !== "1") return null;
  const schema = successSchema(spec, status);
  const issues = !isDeclared(spec, status)
    ? [{ message: `status ${status} is not declared` }]
    : spec.body && !spec.body.safeParse(body ?? {}).success
      ? [{ message: "the command accepted a request body the declared body schema refuses" }]
      : json === undefined
        ? []
        : schema
          ? (schema.safeParse(json).error?.issues ?? [])
          : [{ message: `status ${status} declares no JSON body` }];
  if (!issues.length) return null;
  log.error({ requestId, status, issues }, "response does not match its declared schema");
  return jsonResponse(
    errorBody("response_schema", "The response does not match its declared schema", { requestId, issues }),
    { status: 500, headers: { "x-request-id": requestId } },
  );
}

/**
 * The shared shape of every API route: request id, authentication, JSON body (validated by the domain
 * function after its authorization check, so a viewer gets 403 rather than 422), one error table.
 * Handlers return data (sent as JSON with the declared status), `reply(status, data)` or a Response.
 */
function route<Who, Q>(
  authenticate: (req: NextRequest) => Promise<Who | null>,
  unauthMessage: string,
  opts: RouteSpec<Q>,
  limit: (who: Who, meta: RequestMeta) => Promise<void>,
  handler: (ctx: Base<Q> & { who: Who }) => Promise<unknown>,
) {
  return async (req: NextRequest, context: RouteContext) => {
    const meta = requestMetaFrom(req.headers);
    const { requestId } = meta;
    const started = performance.now();
    let response: Response;
    try {
      const who = await authenticate(req);
      if (!who) {
        response = unauthenticated(unauthMessage, requestId);
      } else {
        await limit(who, meta);
        let body: unknown;
        // rawBody: the handler reads the request itself (e.g. OTLP protobuf) and enforces its own size limits.
        if (!opts.rawBody && req.method !== "GET" && req.method !== "HEAD" && req.method !== "DELETE") {
          const text = new TextDecoder().decode(await readBodyLimited(req, MAX_JSON_BODY, tooLarge));
          if (NUL.test(text)) throw nulCharacter();
          body = parseJsonBody(text);
        }
        if (!isWellEncodedPath(req.nextUrl.pathname)) throw badPath();
        const params = (await context.params) ?? {};
        if (
          [...Object.values(params), ...req.nextUrl.searchParams.keys(), ...req.nextUrl.searchParams.values()].some(
            (v) => typeof v === "string" && v.includes("\u0000"),
          )
        )
          throw nulCharacter();
        assertWellFormedParams([...Object.entries(params), ...req.nextUrl.searchParams.entries()]);
        const query = (opts.query ? opts.query.parse(Object.fromEntries(req.nextUrl.searchParams)) : undefined) as Q;
        const result = await handler({ who, body, query, params, meta, req });
        if (result instanceof Response) {
          result.headers.set("x-request-id", requestId);
          // A download (CSV, YAML, Cedar, NDJSON) holds what its caller may read: no browser or proxy keeps a copy.
          if (!result.headers.has("cache-control")) result.headers.set("cache-control", "no-store");
          response = contractBreach(opts, result.status, undefined, requestId, body) ?? result;
        } else {
          const { status, data, headers } = result instanceof Reply ? result : new Reply(opts.status ?? 200, result);
          // The answer as sent, read back only to check it against its declaration (in tests).
          const sent = process.env.ACP_VALIDATE_RESPONSES === "1" ? toJson(data) : undefined;
          response =
            contractBreach(opts, status, sent, requestId, body) ??
            jsonResponse(data, { status, headers: { ...headers, "x-request-id": requestId } });
        }
      }
    } catch (err) {
      response = errorResponse(err, requestId);
    }
    log.info(
      {
        requestId,
        method: req.method,
        path: req.nextUrl.pathname,
        status: response.status,
        ms: Math.round(performance.now() - started),
      },
      "api request",
    );
    return response;
  };
}

/** For people and their scripts: the browser session or a personal access token. */
export function personRoute<Q = undefined>(
  opts: RouteSpec<Q>,
  handler: (ctx: Base<Q> & { actor: UserActor }) => Promise<unknown>,
): DeclaredRoute {
  const run = route(
    (req) => personActor(req, opts),
    "Sign in or send a personal access token (Authorization: Bearer …)",
    opts,
    (who, meta) => enforceRateLimit(`user:${who.id}`, limits.person(), who, meta),
    (ctx) => {
      const scopes = ctx.who.scopes;
      if (scopes?.length && !(opts.scope && scopes.includes(opts.scope))) {
        throw new DomainError(
          "forbidden",
          "token_scope",
          `This token is limited to ${scopes.join(", ")}; it cannot be used here`,
        );
      }
      return handler({ ...ctx, actor: ctx.who });
    },
  );
  return Object.assign(run, { spec: { ...opts, auth: "person" as const } });
}

export type RuntimeAgent = NonNullable<Awaited<ReturnType<typeof agentFromKey>>>["agent"];

/**
 * For agent runtimes: an agent key (Authorization: Bearer acp_ak_…). `preload`: what the handler needs of the key's
 * agent, read in the key's round trip (before the body; `preloaded` is undefined when it read nothing).
 */
export function agentRoute<Q = undefined, P = never>(
  opts: RouteSpec<Q> & { preload?: Preload<P> },
  handler: (ctx: Base<Q> & { agent: RuntimeAgent; actor: Actor; preloaded?: P }) => Promise<unknown>,
): DeclaredRoute {
  const { preload, ...spec } = opts;
  const run = route(
    async (req) => {
      const token = bearer(req);
      if (!token) return null;
      if (preload) return agentFromKey(token, limits.agentKey(), preload);
      const who = await agentFromKey(token, limits.agentKey());
      return who && { ...who, preloaded: undefined };
    },
    "Send a valid agent key (Authorization: Bearer acp_ak_…); it may be unknown, revoked or expired",
    spec,
    // The key's lookup counted the hit (one statement); this only refuses when it is over the limit.
    async (who, meta) => {
      if (who.hits)
        await refuseOverLimit(
          who.hits,
          `key:${who.key.id}`,
          limits.agentKey(),
          {
            type: "agent",
            id: who.agent.id,
            label: who.agent.slug,
            teamId: who.agent.teamId,
          },
          meta,
        );
    },
    (ctx) =>
      handler({
        ...ctx,
        agent: ctx.who.agent,
        actor: { type: "agent", id: ctx.who.agent.id, label: ctx.who.agent.slug, teamId: ctx.who.agent.teamId },
        preloaded: ctx.who.preloaded,
      }),
  );
  return Object.assign(run, { spec: { ...spec, auth: "agent" as const } });
}
