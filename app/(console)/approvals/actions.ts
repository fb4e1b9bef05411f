"use server";

import { z } from "zod";
import { approveApproval, denyApproval } from "@/lib/domain/approvals/decide-approval";
import { approveChangeRequest, rejectChangeRequest } from "@/lib/domain/changes/decide-change-request";
import { kickWebhookDispatch } from "@/lib/domain/webhooks/deliver-webhooks";
import { formText, withActionError } from "@/lib/http/action-result";
import { action, postAction } from "@/lib/http/server-action";

export const decideChangeAction = postAction({
  args: [z.string(), z.enum(["approve", "reject"])],
  // A note is asked for where the approval needs one (a SIEM sink that has not received everything).
  input: (form) => (form.has("note") ? { note: formText(form, "note", { trim: true }) || undefined } : {}),
  run: (actor, input, meta, requestId, decision) =>
    decision === "approve"
      ? approveChangeRequest(actor, meta, requestId, input)
      : rejectChangeRequest(actor, meta, requestId, input),
  revalidate: () => ["/approvals"],
  redirect: (_, _requestId, decision) => `/approvals?decided=${decision === "approve" ? "approved" : "rejected"}`,
  failure: (message) => withActionError("/approvals", message),
});

/** Approve or deny an agent's call from the inbox (components/approvals/runtime-approval-form.tsx). */
export const decideRuntimeApprovalAction = action({
  args: [z.string()],
  input: (form) => ({
    decision: z.enum(["approve", "deny"]).parse(formText(form, "decision")),
    reason: formText(form, "reason", { trim: true }),
  }),
  run: async (actor, input, meta, approvalId) => {
    const decided =
      input.decision === "approve"
        ? await approveApproval(actor, meta, approvalId, { reason: input.reason || undefined })
        : await denyApproval(actor, meta, approvalId, { reason: input.reason });
    kickWebhookDispatch(); // after commit: approval.decided is in the outbox
    return decided;
  },
  revalidate: () => ["/approvals"],
  reply: (result) => ({ ok: true, message: `Request ${result.status}.` }),
});
