import "server-only";
import { type ZodType, z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { ERROR_CODES } from "@/lib/domain/error-codes";
import type { DeclaredRoute, RouteSpec, Success } from "./route";

/** The one error envelope every route answers with. */
export const ErrorSchema = z
  .object({ error: z.object({ code: z.enum(ERROR_CODES), message: z.string(), details: z.unknown().optional() }) })
  .meta({
    id: "Error",
    description: "Every error: a machine code, a human message, and field errors in details for 422.",
  });

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];
/** A route file's exports, as `import * as` gives them. */
export type RouteModule = Partial<Record<Method, unknown>> & Record<string, unknown>;

const ERROR_TEXT: Record<number, string> = {
  400: "Undecodable body",
  401: "Unauthenticated",
  403: "Not allowed",
  404: "Not found",
  409: "Conflict",
  413: "Body too large",
  415: "Unsupported media type",
  422: "Invalid input",
  429: "Rate limited (see Retry-After)",
};
const SUCCESS_TEXT: Record<number, string> = { 200: "OK", 201: "Created", 202: "Accepted: waiting for a second admin" };

const agentKey = [{ agentKey: [] }];
const person: Record<string, string[]>[] = [{ personalToken: [] }, { session: [] }];

/** `/api/v1/agents/[id]` → `/api/v1/agents/{id}` and its parameter names. */
export function openApiPath(folder: string): { path: string; params: string[] } {
  const params = [...folder.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]);
  return { path: folder.replace(/\[([^\]]+)\]/g, "{$1}"), params };
}

const isDeclared = (handler: unknown): handler is DeclaredRoute =>
  typeof handler === "function" && "spec" in handler && typeof handler.spec === "object";

function successObject(s: Success, status: number) {
  if ("_zod" in s) return { description: SUCCESS_TEXT[status] ?? "OK", content: { "application/json": { schema: s } } };
  return {
    description: s.description,
    ...(s.content
      ? { content: Object.fromEntries(Object.entries(s.content).map(([type, schema]) => [type, { schema }])) }
      : {}),
  };
}

/** What every route of its kind may answer besides its own errors. */
function errorStatuses(spec: RouteSpec & { auth: string }, hasParams: boolean): number[] {
  const out = new Set([401, 429, ...(spec.errors ?? [])]);
  if (spec.auth === "person") out.add(403); // a scoped token, a password to change first, or the role
  if (hasParams) out.add(404);
  if (spec.query || spec.domainQuery) out.add(422);
  if (spec.body) for (const s of [400, 413, 422]) out.add(s);
  return [...out].sort();
}

function operation(spec: RouteSpec & { auth: string }, params: string[]): ZodOpenApiOperationObject {
  const path = params.length
    ? z.object(Object.fromEntries(params.map((p) => [p, z.string().meta({ description: spec.params?.[p] })])))
    : undefined;
  const query = spec.query ?? spec.domainQuery;
  const successes: [number, Success][] = [
    [spec.status ?? 200, spec.response],
    ...Object.entries(spec.otherResponses ?? {}).map(([s, r]): [number, Success] => [Number(s), r]),
  ];
  return {
    tags: spec.tags,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    security: spec.auth === "agent" ? agentKey : person,
    ...(path || query ? { requestParams: { ...(path ? { path } : {}), ...(query ? { query } : {}) } } : {}),
    ...(spec.body ? { requestBody: { required: true, content: { "application/json": { schema: spec.body } } } } : {}),
    responses: {
      ...Object.fromEntries(successes.map(([status, s]) => [String(status), successObject(s, status)])),
      ...Object.fromEntries(
        errorStatuses(spec, params.length > 0).map((c) => [
          String(c),
          { description: ERROR_TEXT[c] ?? "Error", content: { "application/json": { schema: ErrorSchema } } },
        ]),
      ),
    },
  };
}

/**
 * The OpenAPI 3.1 document, generated from the route declarations: `routes` maps each route folder (as under app/,
 * e.g. `/api/v1/agents/[id]`) to its module; every exported method must be a declared route.
 */
export function openApiDocument(routes: Record<string, RouteModule>) {
  const paths: ZodOpenApiPathsObject = {};
  for (const [folder, mod] of Object.entries(routes)) {
    const { path, params } = openApiPath(folder);
    for (const method of METHODS) {
      const handler = mod[method];
      if (handler === undefined) continue;
      if (!isDeclared(handler))
        throw new Error(`${method} ${folder} is not declared with personRoute/agentRoute: it cannot be documented`);
      paths[path] = { ...paths[path], [method.toLowerCase()]: operation(handler.spec, params) };
    }
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Agent Control Plane API",
      version: "1.0.0",
      description: "Runtime endpoints take an agent key; the rest take a personal access token or the console session.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        agentKey: { type: "http", scheme: "bearer", description: "An agent key: acp_ak_…" },
        personalToken: { type: "http", scheme: "bearer", description: "A personal access token: acp_pat_…" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
    },
    paths,
  });
}

/** `{ items: [...] }`, the shape of unpaginated lists. */
export const itemsOf = <T extends ZodType>(item: T) => z.object({ items: z.array(item) });
/** `{ items: [...], nextCursor }`, the shape of keyset-paginated lists. */
export const pageOf = <T extends ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null at the end" }),
  });
