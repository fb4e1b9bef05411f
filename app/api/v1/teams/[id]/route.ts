import { renameTeam } from "@/lib/domain/teams/rename-team";
import { TeamSchema, TeamUpdateSchema } from "@/lib/domain/teams/schemas";
import { personRoute } from "@/lib/http/route";

export const PATCH = personRoute(
  {
    tags: ["people"],
    summary: "Rename a team (the slug stays: SSO maps groups to it)",
    params: { id: "Team id" },
    body: TeamUpdateSchema,
    response: TeamSchema,
  },
  ({ actor, params, body, meta }) => renameTeam(actor, meta, params.id, body),
);
