import "server-only";
import type { Tx } from "@/lib/db/tx";
import { notFound } from "../errors";

/** Loads a budget with the team it belongs to (its own, or its agent's), locked for the transaction. */
export async function lockBudget(tx: Tx, budgetId: string) {
  const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM budgets WHERE id = ${budgetId} FOR UPDATE`;
  if (!row) throw notFound("Budget");
  const budget = await tx.budget.findUniqueOrThrow({
    where: { id: budgetId },
    include: { agent: { select: { teamId: true } } },
  });
  const { agent, ...plain } = budget;
  return { budget: plain, teamId: budget.teamId ?? agent?.teamId ?? null };
}
