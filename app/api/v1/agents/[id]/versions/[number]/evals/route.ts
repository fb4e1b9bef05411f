import { NextResponse } from "next/server";
import { getAgent } from "@/lib/domain/agents/queries";
import { invalid } from "@/lib/domain/errors";
import { listEvalRuns } from "@/lib/domain/evals/queries";
import { recordEvalRun } from "@/lib/domain/evals/record-eval-run";
import type { EvalRunInput } from "@/lib/domain/evals/schemas";
import { toJson } from "@/lib/http/json";
import { personRoute } from "@/lib/http/route";

function versionNumber(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw invalid("The version number must be a positive integer", { number: ["a positive integer"] });
  return n;
}

export const GET = personRoute({ scope: "evals:write" }, async ({ actor, params }) => ({
  items: await listEvalRuns(actor, params.id, versionNumber(params.number)),
}));

/** 201 when recorded, 200 when this run id was already recorded with the same results (idempotent retry). */
export const POST = personRoute({ scope: "evals:write" }, async ({ actor, params, body, meta }) => {
  const agent = await getAgent(actor, params.id);
  const { run, created } = await recordEvalRun(
    actor,
    meta,
    agent.id,
    versionNumber(params.number),
    body as EvalRunInput,
  );
  return NextResponse.json(toJson(run), { status: created ? 201 : 200 });
});
