import { z } from "zod";
import { orgTimeZone } from "@/lib/domain/settings/queries";
import { OrgSettingsInputSchema, updateOrgSettings } from "@/lib/domain/settings/update-org-settings";
import { personRoute } from "@/lib/http/route";

const OrgSettingsSchema = z.object({ timeZone: z.string() }).meta({ id: "OrgSettings" });

export const GET = personRoute(
  { tags: ["settings"], summary: "Organisation settings", response: OrgSettingsSchema },
  async () => ({ timeZone: await orgTimeZone() }),
);

export const PATCH = personRoute(
  {
    tags: ["settings"],
    summary: "Set the organisation time zone (budget periods start at its midnight)",
    body: OrgSettingsInputSchema,
    response: OrgSettingsSchema,
  },
  async ({ actor, body, meta }) => {
    const s = await updateOrgSettings(actor, meta, body);
    return { timeZone: s.timeZone };
  },
);
