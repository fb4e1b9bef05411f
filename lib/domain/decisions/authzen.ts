import "server-only";
import { z } from "zod";
import type { RequestMeta, UserActor } from "../actor";
import { getAgent } from "../agents/queries";
import { ArgumentsDigestSchema } from "../approvals/schemas";
import { DomainError, forbidden } from "../errors";
import type { TOKEN_SCOPES } from "../tokens/create-personal-access-token";
import { authorizeAction } from "./authorize-action";
import { type AuthorizeResponse, contextTooLarge, contextWithinLimit } from "./schemas";

/**
 * The OpenID AuthZEN Authorization API 1.0 in front of `authorizeAction`: a policy enforcement point (a gateway, an
 * MCP proxy) asks about an agent's call in the standard shape and gets the same decision, with the same budgets,
 * approvals, decision record and audit, as the agent asking `POST /api/v1/runtime/authorize` itself.
 *
 * subject `{type: "agent", id: <slug or id>}`; action `{name}` → our action; resource `{type, id}` → our resource:
 * the id as rules name it (`github.search`, `gpt-5`), prefixed for the namespaced types (`mcp` → `mcp:<server>/<tool>`,
 * as the runtime API writes it); context `{estimatedCostUsd?, model?, argumentsDigest?, approvalId?, …}` (the rest is recorded as the
 * call's context). Answers `{decision, context: {decisionId, decision: allow|deny|degrade|pending, code, reason, …}}`:
 * `true` for allow and degrade (use `context.model`), `false` for everything else, including pending approval.
 * An admin's evaluation reserves its estimate like the agent's own call; a team lead's is decided without it (budgets
 * refuse it once spent, and it holds nothing).
 */
export const DECISIONS_SCOPE = "decisions:evaluate" satisfies (typeof TOKEN_SCOPES)[number];

const Properties = z.record(z.string(), z.unknown());
const Entity = z.object({
  type: z.string().trim().min(1).max(128),
  // 508: room for the `mcp:`/`a2a:` prefix within the runtime's 512.
  id: z.string().trim().min(1).max(508),
  properties: Properties.optional(),
});
const Action = z.object({ name: z.string().trim().min(1).max(128), properties: Properties.optional() });
const Context = z
  .object({
    estimatedCostUsd: z.number().min(0).max(1_000_000).optional(),
    model: z.string().trim().min(1).max(128).optional(),
    argumentsDigest: ArgumentsDigestSchema.optional(),
    approvalId: z.uuid().optional(),
  })
  .catchall(z.unknown())
  // Each evaluation records its context (a batch inherits the top-level one into every item): kept small.
  .refine(contextWithinLimit, { error: contextTooLarge });

export const EvaluationRequestSchema = z
  .object({ subject: Entity, action: Action, resource: Entity, context: Context.optional() })
  .meta({ id: "AuthzenEvaluationRequest" });

const SEMANTICS = ["execute_all", "deny_on_first_deny", "permit_on_first_permit"] as const;
export const MAX_EVALUATIONS = 100;
export const EvaluationsRequestSchema = z
  .object({
    subject: Entity.optional(),
    action: Action.optional(),
    resource: Entity.optional(),
    context: Context.optional(),
    evaluations: z
      .array(
        z.object({
          subject: Entity.optional(),
          action: Action.optional(),
          resource: Entity.optional(),
          context: Context.optional(),
        }),
      )
      .max(MAX_EVALUATIONS)
      .optional(),
    options: z
      .object({ evaluations_semantic: z.enum(SEMANTICS).default("execute_all") })
      .catchall(z.unknown())
      .optional(),
  })
  .meta({ id: "AuthzenEvaluationsRequest" });

export const DecisionSchema = z
  .object({
    decision: z.boolean(),
    context: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: "AuthzenDecision" });
export const EvaluationsResponseSchema = z
  .object({ evaluations: z.array(DecisionSchema) })
  .meta({ id: "AuthzenEvaluationsResponse" });

type Decision = z.infer<typeof DecisionSchema>;
type Evaluation = z.infer<typeof EvaluationRequestSchema>;

/** A malformed request: 400 (AuthZEN's Bad Request), with the fields at fault. */
const badRequest = (error: z.ZodError) => {
  const { fieldErrors: fields, formErrors: form } = z.flattenError(error);
  return new DomainError("bad_request", "invalid_authzen_request", "The request is not a valid AuthZEN evaluation", {
    fields,
    form,
  });
};

function parse<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const r = schema.safeParse(raw);
  if (!r.success) throw badRequest(r.error);
  return r.data;
}

/** People who may ask on an agent's behalf: admins, and team leads for their teams' agents. */
function requireEvaluator(actor: UserActor) {
  if (actor.role !== "admin" && actor.role !== "team_lead")
    throw forbidden("Only admins and team leads (for their teams' agents) can ask for decisions");
}

/** Resource types whose runtime resources carry their type as a prefix. */
const PREFIXED = new Set(["mcp", "a2a"]);
export const resourceOf = (r: { type: string; id: string }) => {
  const type = r.type.normalize("NFKC").toLowerCase();
  return PREFIXED.has(type) ? `${type}:${r.id}` : r.id;
};

const closed = (code: string, reason: string): Decision => ({ decision: false, context: { code, reason } });

async function decide(actor: UserActor, meta: RequestMeta, e: Evaluation): Promise<Decision> {
  if (e.subject.type !== "agent")
    return closed("unsupported_subject", 'Only subjects of type "agent" are governed here');
  // An agent outside the caller's teams is as unknown as one that does not exist.
  const agent = await getAgent(actor, e.subject.id).catch((err) => {
    if (err instanceof DomainError && err.kind === "not_found") return null;
    throw err;
  });
  if (!agent) return closed("unknown_subject", `No agent "${e.subject.id}"`);
  const { estimatedCostUsd, model, argumentsDigest, approvalId, ...rest } = e.context ?? {};
  // A team lead's evaluation is decided without its estimate, so it reserves nothing: reserving would let one lead
  // hold what the organisation's budget has left (for every team's agents) for the reservation's lifetime, with no
  // agent key. Budgets still refuse it once spent. The estimate is kept in the call's context. Admins' reserve.
  const reserves = actor.role === "admin";
  const answer: AuthorizeResponse = await authorizeAction(
    agent.id,
    meta,
    {
      action: e.action.name,
      resource: resourceOf(e.resource),
      estimatedCostUsd: reserves ? estimatedCostUsd : undefined,
      model,
      argumentsDigest,
      approvalId,
      context: reserves || estimatedCostUsd === undefined ? rest : { ...rest, estimatedCostUsd },
    },
    new Date(),
    { id: actor.id, label: actor.label },
  );
  const { decision, ...details } = answer;
  return { decision: decision === "allow" || decision === "degrade", context: { decision, ...details } };
}

/** `POST /access/v1/evaluation`. */
export async function evaluateAccess(actor: UserActor, meta: RequestMeta, raw: unknown): Promise<Decision> {
  requireEvaluator(actor);
  return decide(actor, meta, parse(EvaluationRequestSchema, raw));
}

/**
 * `POST /access/v1/evaluations`: each item overrides the top-level subject, action, resource and context it names
 * (whole keys), is decided on its own (its own reservation and record), in order; `deny_on_first_deny` and
 * `permit_on_first_permit` stop after the first such answer. An item that is still incomplete is denied with its
 * error in the context (the spec's per-item errors). Without items it is a single evaluation.
 */
export async function evaluateAccessBatch(
  actor: UserActor,
  meta: RequestMeta,
  raw: unknown,
): Promise<Decision | { evaluations: Decision[] }> {
  requireEvaluator(actor);
  const { evaluations, options, ...defaults } = parse(EvaluationsRequestSchema, raw);
  if (!evaluations?.length) return decide(actor, meta, parse(EvaluationRequestSchema, defaults));
  const semantic = options?.evaluations_semantic ?? "execute_all";
  const out: Decision[] = [];
  for (const item of evaluations) {
    const merged = EvaluationRequestSchema.safeParse({ ...defaults, ...item });
    const d = merged.success
      ? await decide(actor, meta, merged.data).catch((e) => {
          if (!(e instanceof DomainError)) throw e;
          return { decision: false, context: { error: { status: 400, code: e.code, message: e.message } } };
        })
      : {
          decision: false,
          context: {
            error: {
              status: 400,
              message: "subject, action and resource are required",
              fields: z.flattenError(merged.error).fieldErrors,
            },
          },
        };
    out.push(d);
    if ((semantic === "deny_on_first_deny" && !d.decision) || (semantic === "permit_on_first_permit" && d.decision))
      break;
  }
  return { evaluations: out };
}
