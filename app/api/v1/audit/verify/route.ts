import { requireAuditReader } from "@/lib/domain/audit/queries";
import { ChainReportSchema } from "@/lib/domain/audit/schemas";
import { verifyAuditChain } from "@/lib/domain/audit/verify-audit-chain";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["audit"],
    summary: "Walk the hash chain and report the first broken position",
    response: ChainReportSchema,
  },
  async ({ actor }) => {
    requireAuditReader(actor);
    return verifyAuditChain();
  },
);
