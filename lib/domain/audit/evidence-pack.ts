import "server-only";
import { StringDecoder } from "node:string_decoder";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { toCsv } from "@/lib/http/csv";
import { type ZipEntry, type ZippedFile, zipStream } from "@/lib/http/zip";
import { log } from "@/lib/log";
import { type Actor, type RequestMeta, refuseCrossSiteRead } from "../actor";
import { invalid } from "../errors";
import { focusCsv } from "../spend/focus";
import { checkRange, MAX_SPAN, rangeDate } from "../spend/schemas";
import { AUDIT_ACTIONS, type AuditAction } from "./actions";
import { publicKeysOf } from "./checkpoint-format";
import { signCheckpoint } from "./checkpoints";
import { exportAuditEvents } from "./export-audit-events";
import { requireAuditReader } from "./queries";
import { publishedKeys } from "./signing-keys";
import { createExportVerifier, describeVerdict } from "./verify-export";

/** About 700 bytes an event: a trail this long stays well under a zip entry's 4 GiB. */
const MAX_PACK_EVENTS = 4_000_000;

export const EvidencePackQuerySchema = z
  .object({
    from: rangeDate,
    to: rangeDate,
  })
  .superRefine((q, ctx) => checkRange(q, ctx, MAX_SPAN.day));
export type EvidencePackQuery = z.input<typeof EvidencePackQuerySchema>;

const actionsOf = (...prefixes: string[]) =>
  (Object.keys(AUDIT_ACTIONS) as AuditAction[]).filter((a) => prefixes.some((p) => a === p || a.startsWith(p)));

/**
 * The audit events each change file holds, by action (every event is also in audit.ndjson, where it verifies):
 * each file is one kind of evidence an auditor asks for.
 */
const EVENT_FILES = [
  {
    name: "change-management.csv",
    what: "every change to what agents run: registrations, versions, eval runs, deployments and rollbacks, four-eyes requests and decisions, environment policies, configuration-as-code applies, settings (retention included), data deleted past retention, and webhooks",
    controls: "SOC 2 CC8.1; EU AI Act Art. 12(2)(a) (substantial modifications)",
    actions: actionsOf(
      "agent.registered",
      "agent.updated",
      "agent.retired",
      "agent.card_",
      "version.",
      "eval.",
      "deployment.",
      "change.",
      "policy.",
      "config.",
      "settings.",
      "retention.",
      "webhook.",
    ),
  },
  {
    name: "permission-changes.csv",
    what: "every change to what agents may do: rules created, edited, moved and deleted, and the tool catalog (MCP servers, imported and accepted tools)",
    controls: "SOC 2 CC6.1, CC8.1",
    actions: actionsOf("permission.", "mcp."),
  },
  {
    name: "budget-changes.csv",
    what: "every change to what agents may spend: budgets created, edited and archived, and model prices",
    controls: "SOC 2 CC8.1; EU AI Act Art. 12(2)(b)",
    actions: actionsOf("budget.created", "budget.updated", "budget.archived", "price."),
  },
  {
    name: "people-and-roles.csv",
    what: "people added, their role and team changes, deactivations and reactivations, password changes and revoked sessions, failed sign-ins, and teams",
    controls: "SOC 2 CC6.1",
    actions: actionsOf("user.", "team.").filter((a) => a !== "user.signed_in"),
  },
  {
    name: "credentials.csv",
    what: "agent keys issued, rotated and revoked, and personal access tokens created and revoked",
    controls: "SOC 2 CC6.1",
    actions: actionsOf("key.", "token."),
  },
  {
    name: "oversight-and-incidents.csv",
    what: "human oversight and what it caught: runtime approvals asked, granted, denied and expired, denied and degraded decisions, rate limits hit, budget thresholds crossed, agents suspended and resumed (the kill switch)",
    controls: "SOC 2 CC7.2; EU AI Act Art. 12(2)(a) and (c)",
    actions: actionsOf(
      "approval.",
      "decision.",
      "rate_limit.",
      "budget.threshold_crossed",
      "agent.suspended",
      "agent.resumed",
    ),
  },
] as const;

const EVENT_COLUMNS = [
  "position",
  "occurredAt",
  "actorType",
  "actor",
  "action",
  "what",
  "targetType",
  "targetId",
  "teamId",
  "agentId",
  "outcome",
  "before",
  "after",
  "reason",
  "requestId",
];

/** The period's events with these actions, in position order, as CSV chunks (read 2,000 at a time). */
async function* eventsCsv(actions: readonly string[], from: Date, to: Date, upTo: bigint): AsyncGenerator<string> {
  yield toCsv([], EVENT_COLUMNS);
  let after = 0n;
  for (;;) {
    const rows = await db().auditEvent.findMany({
      where: { action: { in: [...actions] }, occurredAt: { gte: from, lt: to }, position: { gt: after, lte: upTo } },
      orderBy: { position: "asc" },
      take: 2000,
    });
    if (!rows.length) return;
    yield toCsv(
      rows.map((e) => [
        e.position,
        e.occurredAt,
        e.actorType,
        e.actorLabel,
        e.action,
        AUDIT_ACTIONS[e.action as AuditAction]?.label ?? e.action,
        e.targetType,
        e.targetId,
        e.teamId,
        e.agentId,
        e.outcome,
        e.before,
        e.after,
        e.reason,
        e.requestId,
      ]),
    );
    after = rows[rows.length - 1].position;
  }
}

/** Every deployment and rollback of the period, with who deployed it and who approved it under four-eyes. */
async function deploymentsCsv(from: Date, to: Date): Promise<string> {
  const rows = await db().deployment.findMany({
    where: { createdAt: { gte: from, lt: to } },
    orderBy: { createdAt: "asc" },
    include: {
      agent: { select: { slug: true, environment: true } },
      version: { select: { number: true, model: true } },
      deployedBy: { select: { email: true } },
    },
  });
  const approvers = new Map(
    (
      await db().user.findMany({
        where: { id: { in: rows.flatMap((d) => (d.approvedById ? [d.approvedById] : [])) } },
        select: { id: true, email: true },
      })
    ).map((u) => [u.id, u.email]),
  );
  return toCsv(
    rows.map((d) => [
      d.createdAt,
      d.agent.slug,
      d.agent.environment,
      d.version.number,
      d.version.model,
      d.kind,
      d.deployedBy?.email ?? "(system)",
      d.approvedById ? (approvers.get(d.approvedById) ?? d.approvedById) : "",
      d.gateOverride,
      d.reason,
      d.id,
    ]),
    [
      "deployedAt",
      "agent",
      "environment",
      "version",
      "model",
      "kind",
      "deployedBy",
      "approvedBy (four-eyes)",
      "evalGateOverridden",
      "reason",
      "deploymentId",
    ],
  );
}

/** The full config of every version deployed in the period, one JSON object per line. */
async function* versionsNdjson(from: Date, to: Date): AsyncGenerator<string> {
  const ids = await db().deployment.findMany({
    where: { createdAt: { gte: from, lt: to } },
    select: { versionId: true },
    distinct: ["versionId"],
  });
  const versions = await db().agentVersion.findMany({
    where: { id: { in: ids.map((d) => d.versionId) } },
    orderBy: [{ agentId: "asc" }, { number: "asc" }],
    include: { agent: { select: { slug: true } }, createdBy: { select: { email: true } } },
  });
  for (const v of versions)
    yield `${JSON.stringify({
      agent: v.agent.slug,
      version: v.number,
      createdAt: v.createdAt.toISOString(),
      createdBy: v.createdBy?.email ?? null,
      note: v.note,
      config: {
        model: v.model,
        fallbackModel: v.fallbackModel,
        systemPrompt: v.systemPrompt,
        tools: v.tools,
        parameters: v.parameters,
        extra: v.extra,
      },
      versionId: v.id,
    })}\n`;
}

/** Everyone who can sign in or could, with their role and teams now (changes over the period are in people-and-roles.csv). */
async function peopleCsv(): Promise<string> {
  const people = await db().user.findMany({
    orderBy: { email: "asc" },
    include: { memberships: { include: { team: { select: { name: true } } } } },
  });
  return toCsv(
    people.map((p) => [
      p.email,
      p.name,
      p.role,
      p.memberships.map((m) => m.team.name).join("; "),
      p.disabledAt ? "deactivated" : "active",
      p.disabledAt,
      p.passwordHash ? "password" : "single sign-on",
      p.createdAt,
    ]),
    ["email", "name", "role", "teams", "status", "deactivatedAt", "signsInWith", "createdAt"],
  );
}

/** Decisions per UTC day, agent and outcome: how the agents were used and what was refused (Art. 12(2)(b), (c)). */
async function decisionsCsv(from: Date, to: Date): Promise<string> {
  const rows = await db().$queryRaw<
    { day: Date; slug: string; decision: string; code: string; n: bigint }[]
  >(Prisma.sql`
    SELECT date_trunc('day', d."createdAt") AS day, a.slug, d.decision::text AS decision, d.code, COUNT(*)::bigint AS n
    FROM decisions d JOIN agents a ON a.id = d."agentId"
    WHERE d."createdAt" >= ${from}::timestamp(3) AND d."createdAt" < ${to}::timestamp(3)
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`);
  return toCsv(
    rows.map((r) => [r.day.toISOString().slice(0, 10), r.slug, r.decision, r.code, r.n]),
    ["day (UTC)", "agent", "decision", "code", "count"],
  );
}

function readme(p: { from: Date; to: Date; generatedAt: Date; by: string; verdict: string }): string {
  const rows = [
    [
      "audit.ndjson",
      "the audit trail of the period as a verifiable export: every event with its hash, `skipped` records standing for the positions outside the period, the signed checkpoints, and a trailer",
      "EU AI Act Art. 12(1), 12(2)(a)–(c); SOC 2 CC7.2",
    ],
    [
      "acp-audit-keys.json",
      "the Ed25519 public keys that sign the checkpoints (also served at /.well-known/acp-audit-keys.json)",
      "integrity of the above",
    ],
    [
      "verification.txt",
      "the verifier's report on audit.ndjson with those keys, run when the pack was made",
      "integrity of the above",
    ],
    [
      "deployments.csv",
      "every config version deployed or rolled back in the period, who deployed it, who approved it (four-eyes) and whether an eval gate was overridden",
      "SOC 2 CC8.1; EU AI Act Art. 12(2)(a)",
    ],
    [
      "config-versions.ndjson",
      "the full configuration of each version in deployments.csv",
      "SOC 2 CC8.1; EU AI Act Art. 12(2)(a)",
    ],
    ...EVENT_FILES.map((f) => [f.name, f.what, f.controls]),
    [
      "people.csv",
      "everyone with an account when the pack was made: role, teams, status and how they sign in",
      "SOC 2 CC6.1",
    ],
    [
      "decisions-daily.csv",
      "the agents' authorization decisions per day, agent, outcome and code",
      "EU AI Act Art. 12(2)(b) and (c); SOC 2 CC7.2",
    ],
    [
      "spend-focus.csv",
      "the agents' model usage and cost per agent, model and day, as FinOps FOCUS 1.3",
      "EU AI Act Art. 12(2)(b) (post-market monitoring)",
    ],
    ["manifest.json", "every other file's size and SHA-256", "integrity of the pack"],
  ];
  const cell = (s: string) => s.replaceAll("|", "\\|");
  return `# Evidence pack: Agent Control Plane

Period: ${p.from.toISOString()} (inclusive) to ${p.to.toISOString()} (exclusive), UTC.
Made ${p.generatedAt.toISOString()} by ${p.by}. Making it is audited (\`audit.evidence_exported\`): when the
period reaches the present, that is the last event of audit.ndjson.

Verifier's report: ${p.verdict}

Every row of the CSV files that comes from the audit trail carries its \`position\`: the same event is in
audit.ndjson, where its hash links it to the whole chain. The CSV files are RFC 4180, UTF-8; a text cell that a
spreadsheet would run as a formula starts with \`'\`. Times are UTC (ISO 8601).

## Files and what they evidence

| file | what it holds | evidences |
| --- | --- | --- |
${rows.map((r) => `| ${r.map(cell).join(" | ")} |`).join("\n")}

## The controls

- **EU AI Act Art. 12(2)(a)**, events relevant to situations that may present a risk or a substantial modification:
  change-management.csv, deployments.csv and config-versions.ndjson (what changed, who approved it), and
  oversight-and-incidents.csv (denials, suspensions, rate limits, budget thresholds).
- **Art. 12(2)(b)**, post-market monitoring: decisions-daily.csv and spend-focus.csv (use and cost over time),
  budget-changes.csv.
- **Art. 12(2)(c)**, monitoring of operation by the deployer (Art. 26(5)): oversight-and-incidents.csv (runtime
  approvals by people, the kill switch) and the whole audit trail. Art. 19 and 26(6) ask for at least six months of
  such logs: choose the period accordingly.
- **SOC 2 CC6.1**, logical access: people.csv, people-and-roles.csv, credentials.csv, permission-changes.csv.
- **SOC 2 CC7.2**, monitoring for anomalies: audit.ndjson with verification.txt, oversight-and-incidents.csv,
  decisions-daily.csv.
- **SOC 2 CC8.1**, change management: deployments.csv, config-versions.ndjson, change-management.csv,
  permission-changes.csv, budget-changes.csv.

## Checking it yourself

1. Each file's SHA-256 is in manifest.json (\`sha256sum -c\` style: \`sha256sum <file>\`).
2. audit.ndjson verifies without the product. Each event line is the hashed object plus \`hash\`: the SHA-256 (hex)
   of its RFC 8785 canonical JSON without \`hash\`; its \`prevHash\` is the hash at the position before it (an event's,
   or a \`skipped\` record's). Each \`checkpoint\` record is an Ed25519 signature (base64url) over the canonical JSON
   of \`{"format":"acp-audit-checkpoint","version":1,"position","hash","signedAt","keyId"}\`, by the key with that
   \`keyId\` in acp-audit-keys.json. With the product's source:
   \`npx tsx scripts/verify-audit-export.ts audit.ndjson --keys acp-audit-keys.json\` prints the same report as
   verification.txt. Keep a copy of the public keys from when you first received them: a key set that changes
   later is itself a finding.
`;
}

/**
 * One zip an auditor can read without the product, for a period (auditors and admins; at most 400 days): the audit
 * trail of the period as a verifiable export with its checkpoints and public keys, the verifier's report on it,
 * deployments with their approvers and configs, permission, budget, people and credential changes, people and roles
 * now, daily decisions, FOCUS spend, a README mapping each file to EU AI Act Art. 12(2) and SOC 2 CC6.1, CC7.2,
 * CC8.1, and a manifest of SHA-256s. Making it is audited (`audit.evidence_exported`, the export's last event).
 * Streamed: memory is bounded by a chunk whatever the period holds.
 */
export async function evidencePack(actor: Actor, meta: RequestMeta, raw: EvidencePackQuery | Record<string, unknown>) {
  requireAuditReader(actor);
  refuseCrossSiteRead(
    actor,
    meta,
    "An evidence pack starts from the console: open the audit trail there and export again",
  );
  const q = EvidencePackQuerySchema.parse(raw);
  // A zip entry holds at most 4 GiB (fflate writes no ZIP64): refuse a period whose trail could not fit, up front.
  const events = await db().auditEvent.count({ where: { occurredAt: { gte: q.from, lt: q.to } } });
  if (events > MAX_PACK_EVENTS)
    throw invalid(`The period holds ${events} audit events, more than one pack holds (${MAX_PACK_EVENTS}).`, {
      to: ["choose a shorter period"],
    });
  const generatedAt = new Date();
  const audit = await exportAuditEvents(
    actor,
    meta,
    { format: "ndjson", from: q.from.toISOString(), to: q.to.toISOString() },
    "audit.evidence_exported",
  );
  // Sign the export's head (its own event included), so the signatures reach the end of the pack's trail.
  const upTo = BigInt(audit.head.position);
  if (upTo > 0n) await signCheckpoint({ at: upTo });
  const keySet = publishedKeys();
  const verifier = createExportVerifier({ keys: publicKeysOf(keySet) });
  let verdict = "";
  const written: ZippedFile[] = [];
  const by = actor.label;

  async function* auditNdjson() {
    let rest = "";
    let stopped = false;
    const decoder = new StringDecoder("utf8");
    for await (const chunk of audit.chunks) {
      if (!stopped) {
        const lines = (rest + decoder.write(chunk)).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) if (!stopped && verifier.push(line)) stopped = true;
      }
      yield chunk;
    }
    if (!stopped && rest) verifier.push(rest);
    verdict = describeVerdict(verifier.end());
  }

  const entries: ZipEntry[] = [
    { name: "audit.ndjson", content: auditNdjson },
    { name: "acp-audit-keys.json", content: () => [`${JSON.stringify(keySet, null, 2)}\n`] },
    { name: "verification.txt", content: () => [`${verdict}\n`] },
    {
      name: "deployments.csv",
      content: async function* () {
        yield await deploymentsCsv(q.from, q.to);
      },
    },
    { name: "config-versions.ndjson", content: () => versionsNdjson(q.from, q.to) },
    ...EVENT_FILES.map((f) => ({ name: f.name, content: () => eventsCsv(f.actions, q.from, q.to, upTo) })),
    {
      name: "people.csv",
      content: async function* () {
        yield await peopleCsv();
      },
    },
    {
      name: "decisions-daily.csv",
      content: async function* () {
        yield await decisionsCsv(q.from, q.to);
      },
    },
    {
      name: "spend-focus.csv",
      content: () => focusCsv(actor, { from: q.from, to: q.to }).chunks,
    },
    {
      name: "README.md",
      content: () => [readme({ from: q.from, to: q.to, generatedAt, by, verdict })],
    },
    {
      name: "manifest.json",
      content: () => [
        `${JSON.stringify(
          {
            format: "acp-evidence-pack",
            version: 1,
            period: { from: q.from.toISOString(), to: q.to.toISOString() },
            generatedAt: generatedAt.toISOString(),
            generatedBy: by,
            chainHead: audit.head,
            verification: verdict,
            files: written,
          },
          null,
          2,
        )}\n`,
      ],
    },
  ];
  const day = (d: Date) => d.toISOString().slice(0, 10);
  // Once the download has begun a failure can only cut it short: say why in the log, with the request id.
  async function* logged() {
    try {
      yield* zipStream(entries, { mtime: generatedAt, written });
    } catch (err) {
      log.error({ err: String(err), requestId: meta.requestId }, "evidence pack failed while streaming");
      throw err;
    }
  }
  return { filename: `acp-evidence-${day(q.from)}-to-${day(q.to)}.zip`, chunks: logged() };
}
