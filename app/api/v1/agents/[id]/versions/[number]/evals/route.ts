import { getAgent } from "@/lib/domain/agents/queries";
import { PageQuerySchema } from "@/lib/domain/cursor";
import { invalid } from "@/lib/domain/errors";
import { listEvalRuns } from "@/lib/domain/evals/queries";
import { recordEvalRun } from "@/lib/domain/evals/record-eval-run";
import { EvalRunInputSchema, EvalRunSchema } from "@/lib/domain/evals/schemas";
import { pageOf } from "@/lib/http/openapi";
import { personRoute, reply } from "@/lib/http/route";
import { AGENT_PARAM } from "../../../../view";

function versionNumber(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw invalid("The version number must be a positive integer", { number: ["a positive integer"] });
  return n;
}

const params = { ...AGENT_PARAM, number: "Version number (1, 2, …)" };

export const GET = personRoute(
  {
    tags: ["evals"],
    summary: "Eval runs recorded on a version, newest first (paginated: `cursor`, `limit`)",
    params,
    domainQuery: PageQuerySchema,
    response: pageOf(EvalRunSchema),
    errors: [422],
    scope: "evals:write",
  },
  async ({ actor, params, req }) =>
    listEvalRuns(actor, params.id, versionNumber(params.number), Object.fromEntries(req.nextUrl.searchParams)),
);

/** 201 when recorded, 200 when this run id was already recorded with the same results (idempotent retry). */
export const POST = personRoute(
  {
    tags: ["evals"],
    summary: "Record an eval run (admins or the agent's team leads; a CI token scoped to evals:write works)",
    description: "Idempotent on runId: 201 recorded, 200 already recorded, 409 runId reused with other results.",
    params,
    body: EvalRunInputSchema,
    status: 201,
    response: EvalRunSchema,
    otherResponses: { 200: { description: "Already recorded", content: { "application/json": EvalRunSchema } } },
    errors: [409],
    scope: "evals:write",
  },
  async ({ actor, params, body, meta }) => {
    const agent = await getAgent(actor, params.id);
    const { run, created } = await recordEvalRun(actor, meta, agent.id, versionNumber(params.number), body);
    return reply(created ? 201 : 200, run);
  },
);
