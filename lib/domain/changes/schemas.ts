import { z } from "zod";
import { ENVIRONMENTS } from "../agents/schemas";

export const CHANGE_KINDS = [
  "deployment",
  "environment_policy",
  "agent_environment",
  "user_role",
  "canary",
  "retention",
  "audit_sink",
  "token_policy",
] as const;

export const ChangeRequestQuerySchema = z.object({
  status: z.enum(["pending", "approved", "rejected"]).default("pending"),
  change: z.enum(CHANGE_KINDS).optional(),
});

/** An admin's decision on a change request. */
export const DecisionSchema = z.object({ note: z.string().trim().max(1000).optional() });

export const PendingChangeSchema = z
  .object({ status: z.literal("pending_approval"), requestId: z.string() })
  .meta({ id: "PendingChange", description: "The change waits for a second admin: the change request's id." });

/** A change request as stored. */
export const ChangeRequestSchema = z
  .object({
    id: z.string(),
    change: z.enum(CHANGE_KINDS),
    agentId: z.string().nullable(),
    versionId: z.string().nullable(),
    kind: z.enum(["deploy", "rollback"]).nullable(),
    userId: z.string().nullable(),
    environment: z.enum(ENVIRONMENTS).nullable(),
    payload: z.unknown().meta({ description: "What the change sets (JSON)" }),
    reason: z.string(),
    status: z.enum(["pending", "approved", "rejected"]),
    requestedById: z.string(),
    decidedById: z.string().nullable(),
    decidedAt: z.iso.datetime().nullable(),
    decisionNote: z.string().nullable(),
    deploymentId: z.string().nullable(),
    gateOverride: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "ChangeRequest" });

/** A change request as listed for the admins who decide it: with what it asks for, readably. */
export const ChangeRequestListItemSchema = ChangeRequestSchema.extend({
  versionNumber: z.number().int().nullable(),
  agentSlug: z.string().nullable(),
  subject: z.object({ email: z.string(), name: z.string() }).nullable(),
  requestedBy: z.object({ id: z.string(), name: z.string(), email: z.string() }),
}).meta({ id: "ChangeRequestListItem" });

const deployFields = { versionNumber: z.number().int(), kind: z.enum(["deploy", "rollback"]) };
export const DeployResultSchema = z
  .object({ status: z.literal("deployed"), deploymentId: z.string(), ...deployFields })
  .meta({ id: "Deployed" });
export const PendingDeployResultSchema = PendingChangeSchema.extend(deployFields).meta({ id: "DeploymentPending" });
