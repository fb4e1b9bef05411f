import { z } from "zod";
import { PendingChangeSchema } from "@/lib/domain/changes/schemas";
import { orgSettings } from "@/lib/domain/settings/queries";
import { OrgSettingsInputSchema, updateOrgSettings } from "@/lib/domain/settings/update-org-settings";
import { personRoute } from "@/lib/http/route";

const OrgSettingsSchema = z
  .object({
    timeZone: z.string(),
    usageRetentionMonths: z.number().int(),
    auditRetentionMonths: z.number().int(),
    tokensIssueCredentials: z.boolean(),
  })
  .meta({ id: "OrgSettings" });

export const GET = personRoute(
  { tags: ["settings"], summary: "Organisation settings", response: OrgSettingsSchema },
  async () => orgSettings(),
);

export const PATCH = personRoute(
  {
    tags: ["settings"],
    summary:
      "Set the organisation time zone (budget periods start at its midnight), retention (at least 6 months) and whether tokens may issue credentials (a field left out keeps its value)",
    description:
      "Keeping records for less time waits for a second admin: the answer then carries `pendingChange` (the change request) and the months still in force. Letting tokens issue credentials again is refused to a token (`403 session_required`), asks a session for fresh proof, and waits for a second admin (`pendingChange`).",
    body: OrgSettingsInputSchema,
    errors: [409],
    response: OrgSettingsSchema.extend({ pendingChange: PendingChangeSchema.optional() }).meta({
      id: "OrgSettingsUpdated",
    }),
  },
  async ({ actor, body, meta }) => updateOrgSettings(actor, meta, body),
);
