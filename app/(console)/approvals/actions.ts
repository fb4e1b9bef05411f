"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requestMeta, requireSessionActor } from "@/lib/auth/session";
import { approveChangeRequest, rejectChangeRequest } from "@/lib/domain/changes/decide-change-request";
import { actionError } from "@/lib/http/action-result";

export async function decideChangeAction(requestId: string, decision: "approve" | "reject"): Promise<void> {
  const actor = await requireSessionActor();
  let result = decision === "approve" ? "approved" : "rejected";
  try {
    if (decision === "approve") await approveChangeRequest(actor, await requestMeta(), requestId);
    else await rejectChangeRequest(actor, await requestMeta(), requestId);
  } catch (err) {
    result = `error&message=${encodeURIComponent((actionError(err).message ?? "failed").toWellFormed())}`;
  }
  revalidatePath("/approvals");
  redirect(`/approvals?decided=${result}`);
}
