import { z } from "zod";
import { PageQuerySchema } from "../cursor";

export const APPROVAL_STATUSES = ["pending", "approved", "denied", "expired", "redeemed"] as const;

/** What the agent may send to bind a grant to the call's arguments: a digest it computed (e.g. sha256 hex). */
export const ArgumentsDigestSchema = z
  .string()
  .trim()
  .min(8)
  .max(128)
  .regex(/^[A-Za-z0-9:+/=_-]+$/, "a digest such as sha256:<hex> (letters, digits and :+/=_-)")
  .meta({
    description:
      "A digest of the call's arguments (e.g. sha256 of canonical JSON). An approval granted for it can only be redeemed with the same digest.",
  });

/** A person's decision on a runtime approval: a reason is required to deny, optional to approve. */
export const ApproveInputSchema = z.object({ reason: z.string().trim().max(500).optional() });
export const DenyInputSchema = z.object({ reason: z.string().trim().min(1, "Say why it is denied").max(500) });

export const ApprovalListQuerySchema = PageQuerySchema.extend({
  status: z.enum(APPROVAL_STATUSES).optional().meta({ description: "Default: pending (oldest first)" }),
  agentId: z.uuid().optional(),
});

export const RuntimeWaitQuerySchema = z.object({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(60)
    .default(0)
    .meta({ description: "Seconds to hold the answer while the approval is pending (long-poll), at most 60" }),
});

/** An approval as the agent that asked for it sees it. */
export const RuntimeApprovalSchema = z
  .object({
    id: z.string(),
    status: z.enum(APPROVAL_STATUSES),
    action: z.string(),
    resource: z.string(),
    argumentsDigest: z.string().nullable(),
    expiresAt: z.iso.datetime().meta({
      description: "Pending: when it expires undecided. Approved: until when it can be redeemed.",
    }),
    decidedAt: z.iso.datetime().nullable(),
    decidedBy: z.string().nullable().meta({ description: "The approver's name" }),
    note: z.string().nullable().meta({ description: "The approver's reason" }),
  })
  .meta({ id: "RuntimeApproval" });

/** An approval as listed for the people who decide it. */
export const ApprovalSchema = z
  .object({
    id: z.string(),
    status: z.enum(APPROVAL_STATUSES),
    agent: z.object({ id: z.string(), slug: z.string(), name: z.string(), teamId: z.string() }),
    ruleId: z.string().nullable(),
    rulePosition: z.number().int().nullable(),
    action: z.string(),
    resource: z.string(),
    estimatedCostUsd: z.number().nullable(),
    model: z.string().nullable(),
    context: z
      .unknown()
      .nullable()
      .meta({ description: "The call's context as the agent sent it (on whose behalf, who asked); null for viewers" }),
    argumentsDigest: z.string().nullable(),
    reason: z.string().meta({ description: "Why approval was asked (the rule)" }),
    expiresAt: z.iso.datetime(),
    decidedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    decidedAt: z.iso.datetime().nullable(),
    decisionNote: z.string().nullable(),
    redeemedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Approval" });
