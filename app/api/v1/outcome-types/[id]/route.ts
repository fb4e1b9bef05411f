import { updateOutcomeType } from "@/lib/domain/outcomes/outcome-types";
import { OutcomeTypeSchema, OutcomeTypeUpdateSchema } from "@/lib/domain/outcomes/schemas";
import { personRoute } from "@/lib/http/route";

export const PATCH = personRoute(
  {
    tags: ["outcomes"],
    summary: "Change an outcome type's unit, description, owner team, value or reporters, or archive it (admins)",
    params: { id: "Outcome type id" },
    body: OutcomeTypeUpdateSchema,
    response: OutcomeTypeSchema,
  },
  async ({ actor, params, body, meta }) => updateOutcomeType(actor, meta, params.id, body),
);
