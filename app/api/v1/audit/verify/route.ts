import { requireAuditReader } from "@/lib/domain/audit/queries";
import { verifyAuditChain } from "@/lib/domain/audit/verify-audit-chain";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute({}, async ({ actor }) => {
  requireAuditReader(actor);
  return verifyAuditChain();
});
