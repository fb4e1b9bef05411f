import { createTeam } from "@/lib/domain/teams/create-team";
import { listTeamsWithCounts } from "@/lib/domain/teams/queries";
import { TeamInputSchema, TeamSchema, TeamWithCountsSchema } from "@/lib/domain/teams/schemas";
import { itemsOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["people"],
    summary: "Teams with their agent and people counts (team leads: their own)",
    response: itemsOf(TeamWithCountsSchema),
  },
  async ({ actor }) => ({ items: await listTeamsWithCounts(actor) }),
);

export const POST = personRoute(
  {
    tags: ["people"],
    summary: "Add a team",
    body: TeamInputSchema,
    response: TeamSchema,
    status: 201,
    errors: [409],
  },
  ({ actor, body, meta }) => createTeam(actor, meta, body),
);
