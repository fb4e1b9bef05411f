import { renameTeam } from "@/lib/domain/teams/rename-team";
import type { TeamUpdate } from "@/lib/domain/teams/schemas";
import { personRoute } from "@/lib/http/route";

export const PATCH = personRoute({}, ({ actor, params, body, meta }) =>
  renameTeam(actor, meta, params.id, body as TeamUpdate),
);
