import { Readable } from "node:stream";
import { z } from "zod";
import { EvidencePackQuerySchema, evidencePack } from "@/lib/domain/audit/evidence-pack";
import { personRoute } from "@/lib/http/route";

/** One zip for a period that an auditor reads without the product (see the README inside it). */
export const GET = personRoute(
  {
    tags: ["audit"],
    summary: "Evidence pack for a period: one zip an auditor reads without the product (auditors and admins; audited)",
    description:
      "The period's audit trail as a verifiable NDJSON export with its signed checkpoints and the public keys, the verifier's report, deployments with their approvers and configs, permission, budget, people and credential changes, people and roles, daily decisions, FOCUS spend, a README mapping each file to EU AI Act Art. 12(2)(a)–(c) and SOC 2 CC6.1, CC7.2 and CC8.1, and a manifest of SHA-256s. At most 400 days.",
    // Checked in the domain, after the role: a viewer gets 403 whatever the query.
    domainQuery: EvidencePackQuerySchema,
    response: { description: "A zip file", content: { "application/zip": z.string() } },
    // checkpoint_refused: the trail was rewritten or cut since this server last signed it.
    errors: [409],
  },
  async ({ actor, req, meta }) => {
    const { filename, chunks } = await evidencePack(actor, meta, Object.fromEntries(req.nextUrl.searchParams));
    return new Response(Readable.toWeb(Readable.from(chunks)) as ReadableStream, {
      headers: {
        "Content-Type": "application/zip",
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "no-store, no-transform",
      },
    });
  },
);
