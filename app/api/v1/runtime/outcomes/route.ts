import { reportOutcomes } from "@/lib/domain/outcomes/report-outcomes";
import { OutcomeBatchSchema, OutcomeReportResultSchema } from "@/lib/domain/outcomes/schemas";
import { agentRoute } from "@/lib/http/route";

export const POST = agentRoute(
  {
    tags: ["runtime"],
    summary: "Report outcomes (up to 1,000, all or nothing, idempotent on id)",
    description:
      "Each names a defined outcome type the agent is listed to report, else 422 unknown_outcome_type or outcome_type_not_allowed naming the field; the task id links it to the usage events naming the same task.",
    body: OutcomeBatchSchema,
    response: OutcomeReportResultSchema,
  },
  async ({ agent, body }) => reportOutcomes(agent.id, body),
);
