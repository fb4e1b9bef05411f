"use server";

import { z } from "zod";
import { approveChangeRequest, rejectChangeRequest } from "@/lib/domain/changes/decide-change-request";
import { postAction } from "@/lib/http/server-action";

export const decideChangeAction = postAction({
  args: [z.string(), z.enum(["approve", "reject"])],
  run: (actor, _, meta, requestId, decision) =>
    decision === "approve" ? approveChangeRequest(actor, meta, requestId) : rejectChangeRequest(actor, meta, requestId),
  revalidate: () => ["/approvals"],
  redirect: (_, _requestId, decision) => `/approvals?decided=${decision === "approve" ? "approved" : "rejected"}`,
  failure: (message) => `/approvals?decided=error&message=${encodeURIComponent(message.toWellFormed())}`,
});
