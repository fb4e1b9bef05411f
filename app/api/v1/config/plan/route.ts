import { planConfig } from "@/lib/domain/config/plan-config";
import { ConfigPlanInputSchema, ConfigPlanSchema } from "@/lib/domain/config/schemas";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute(
  {
    tags: ["config"],
    summary: "What a configuration document would change, field by field (admins and auditors); changes nothing",
    description:
      "`document` is the YAML or JSON text (or the object). The answer lists each create, update, replace and delete in the order apply makes them, and the planHash apply needs. Against the live state, a plan of the last applied document shows what was changed in the console since (drift).",
    body: ConfigPlanInputSchema,
    response: ConfigPlanSchema,
    errors: [409],
  },
  async ({ actor, body }) => planConfig(actor, body),
);
