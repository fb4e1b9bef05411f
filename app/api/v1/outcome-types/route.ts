import { z } from "zod";
import { createOutcomeType, listOutcomeTypes } from "@/lib/domain/outcomes/outcome-types";
import { OutcomeTypeInputSchema, OutcomeTypeSchema } from "@/lib/domain/outcomes/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["outcomes"],
    summary:
      "The organisation's outcome types, by name (all of them: a short catalogue; `archived=true` adds archived)",
    query: z.object({ archived: z.enum(["true", "false"]).optional() }),
    response: z.object({ items: z.array(OutcomeTypeSchema) }),
  },
  async ({ actor, query }) => ({ items: await listOutcomeTypes(actor, { archived: query.archived === "true" }) }),
);

export const POST = personRoute(
  {
    tags: ["outcomes"],
    summary: "Define an outcome type and the agents that may report it (admins)",
    description: "409 outcome_type_exists when the name is taken; 422 naming unknown agents or team.",
    body: OutcomeTypeInputSchema,
    response: OutcomeTypeSchema,
    status: 201,
    errors: [409],
  },
  async ({ actor, body, meta }) => createOutcomeType(actor, meta, body),
);
