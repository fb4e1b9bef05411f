import { awaitRuntimeApproval } from "@/lib/domain/approvals/queries";
import { RuntimeApprovalSchema, RuntimeWaitQuerySchema } from "@/lib/domain/approvals/schemas";
import { agentRoute } from "@/lib/http/route";

export const GET = agentRoute(
  {
    tags: ["runtime"],
    summary: "Where an approval this agent asked for stands (long-poll with ?wait=30)",
    description:
      "With `wait`, the answer is held while the approval is pending and sent the moment a person decides it or it expires. Approved: authorize again with `approvalId` before `expiresAt`.",
    params: { id: "The approvalId authorize answered" },
    query: RuntimeWaitQuerySchema,
    response: RuntimeApprovalSchema,
  },
  async ({ agent, params, query, req }) => awaitRuntimeApproval(agent.id, params.id, query.wait, req.signal),
);
