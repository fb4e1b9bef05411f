import { createTeam } from "@/lib/domain/teams/create-team";
import { listTeamsWithCounts } from "@/lib/domain/teams/queries";
import type { TeamInput } from "@/lib/domain/teams/schemas";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, async ({ actor }) => ({ items: await listTeamsWithCounts(actor) }));

export const POST = personRoute({ status: 201 }, ({ actor, body, meta }) => createTeam(actor, meta, body as TeamInput));
