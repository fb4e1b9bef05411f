import { applyConfig } from "@/lib/domain/config/apply-config";
import { ConfigApplyInputSchema, ConfigApplyResultSchema } from "@/lib/domain/config/schemas";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute(
  {
    tags: ["config"],
    summary: "Apply a planned configuration (admins), all of it or none of it",
    description:
      "Give the document and the planHash its plan answered: a live state or document that moved since is refused (409 plan_stale). Each change goes through the console's own command and audit event, then one config.applied event names the plan. A deployment to a four-eyes environment (or a weakened policy) becomes a pending change request, listed in `pending`.",
    body: ConfigApplyInputSchema,
    response: ConfigApplyResultSchema,
    errors: [409],
  },
  async ({ actor, body, meta }) => applyConfig(actor, meta, body),
);
