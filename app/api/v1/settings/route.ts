import { orgTimeZone } from "@/lib/domain/settings/queries";
import { type OrgSettingsInput, updateOrgSettings } from "@/lib/domain/settings/update-org-settings";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, async () => ({ timeZone: await orgTimeZone() }));

export const PATCH = personRoute({}, async ({ actor, body, meta }) => {
  const s = await updateOrgSettings(actor, meta, body as OrgSettingsInput);
  return { timeZone: s.timeZone };
});
