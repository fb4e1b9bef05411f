import { replayBudgetChange } from "@/lib/domain/budgets/replay";
import { BudgetReplayRequestSchema, BudgetReplayResultSchema } from "@/lib/domain/budgets/replay-schemas";
import { personRoute } from "@/lib/http/route";

/** Read-only: what a draft budget change would have done to the recorded calls of the agents it covers. */
export const POST = personRoute(
  {
    tags: ["budgets"],
    summary: "Replay a draft budget change (new, edited or archived) against recorded calls, writing nothing",
    description:
      "Each call recorded in the window (default the last 7 days, at most 90) that reached the budgets is judged by the budget as it stands and by the draft, each against its own replayed spend (a call it refuses does not spend): the calls that would flip (allow → deny, allow → degrade, deny → allow…), by transition and by action and resource, with the recorded usage behind them, and when each would have run out. Who may save the change may replay it.",
    body: BudgetReplayRequestSchema,
    response: BudgetReplayResultSchema,
  },
  async ({ actor, body }) => replayBudgetChange(actor, body),
);
