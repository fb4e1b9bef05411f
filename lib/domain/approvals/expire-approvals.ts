import "server-only";
import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import { log } from "@/lib/log";
import { expireApproval } from "./lifecycle";
import { signalApprovalDecided } from "./signals";

/** Expires one approval if its time is up (audited, with its webhook); false when it was not due. */
export async function expireOne(id: string, now = new Date()): Promise<boolean> {
  const expired = await inTransaction((tx) => expireApproval(tx, id, now));
  if (expired) signalApprovalDecided(id);
  return expired !== null;
}

/**
 * Expires approvals whose time is up, in bounded batches, each in its own transaction: run by the background
 * dispatcher (so `approval.decided` webhooks go out without anyone looking) and before the inbox is listed.
 */
export async function expireDueApprovals(now = new Date(), limit = 100): Promise<number> {
  const due = await db().approvalRequest.findMany({
    where: { status: { in: ["pending", "approved"] }, expiresAt: { lte: now } },
    orderBy: { expiresAt: "asc" },
    take: limit,
    select: { id: true },
  });
  let n = 0;
  for (const { id } of due) {
    try {
      if (await expireOne(id, now)) n++;
    } catch (err) {
      log.error({ err: String(err), approvalId: id }, "approval expiry");
    }
  }
  return n;
}
