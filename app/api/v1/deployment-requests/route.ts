import { z } from "zod";
import { listDeploymentRequests } from "@/lib/domain/deployments/queries";
import { personRoute } from "@/lib/http/route";

const QuerySchema = z.object({ status: z.enum(["pending", "approved", "rejected"]).default("pending") });

export const GET = personRoute({ query: QuerySchema }, async ({ actor, query }) => ({ items: await listDeploymentRequests(actor, query.status) }));
