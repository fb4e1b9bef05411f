import { Readable } from "node:stream";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { canCopyOut, copiesRunning, copyOut } from "@/lib/db/copy";
import { inTransaction } from "@/lib/db/tx";
import { EXPORT_COLUMNS } from "@/lib/domain/audit/export-format";
import { toCsv } from "@/lib/http/csv";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { readText } from "@/lib/test/streams";
import { registerAgent } from "../agents/register-agent";
import { suspendAgent } from "../agents/set-agent-status";
import { exportAuditEvents } from "./export-audit-events";
import { csvChunks, ndjsonRows, type Transport } from "./export-rows";
import { AuditFilterSchema } from "./schemas";
import { auditEventView } from "./view";
import { writeAuditEvent } from "./write-audit-event";

// Text PostgreSQL stores (no NUL, no lone surrogates): ASCII with every control character, and any grapheme.
const text = fc
  .oneof(fc.string({ unit: "binary-ascii", maxLength: 30 }), fc.string({ unit: "grapheme", maxLength: 12 }))
  .map((s) => s.replaceAll("\0", ""));
const formulaLike = fc.constantFrom("=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx", 'a,"b"\nc', "\\n\\t\\\\");
const json = fc.jsonValue({ maxDepth: 3 }).filter((v) => !JSON.stringify(v).includes("\\u0000"));
const event = fc.record({
  reason: fc.option(fc.oneof(text, formulaLike), { nil: null }),
  actorLabel: fc.oneof(text, formulaLike),
  before: fc.option(json, { nil: null }),
  after: fc.option(fc.oneof(json, fc.record({ note: fc.oneof(text, formulaLike) })), { nil: null }),
  requestId: fc.option(fc.oneof(text, formulaLike), { nil: undefined }),
  ip: fc.option(formulaLike, { nil: undefined }),
});

/** Both ways on PostgreSQL (int-setup sets DATABASE_URL before each file's tests, not at import). */
const transports = (): Transport[] => (canCopyOut() ? ["copy", "windows"] : ["windows"]);

async function collect(filter: Record<string, string>, head: bigint, transport?: Transport) {
  const out = [];
  for await (const batch of ndjsonRows(AuditFilterSchema.parse(filter), head, transport)) out.push(...batch);
  return out;
}

async function csvText(filter: Record<string, string>, head: bigint, transport: Transport) {
  return readText(csvChunks(AuditFilterSchema.parse(filter), head, transport));
}

/** A CSV cell holding JSON, compared as the JSON it holds (jsonb and JSON.stringify space and write numbers apart). */
function jsonCell(cell: string) {
  try {
    return cell === "" ? null : JSON.parse(cell.replace(/^'(?=[-=+@\t\r])/, ""));
  } catch {
    return cell; // a JSON string value is written as its text
  }
}

describe("audit export lines made by the database", () => {
  it("are the values the JS view and CSV writer give, for any text and JSON, over every transport", async () => {
    const org = await makeOrg();
    const targetId = `rows-${org.tag}`;
    const inputs = fc.sample(event, { numRuns: 80, seed: 18 });
    for (const e of inputs)
      await inTransaction((tx) =>
        writeAuditEvent(
          tx,
          { ...org.admin, label: e.actorLabel },
          { requestId: e.requestId, ip: e.ip },
          {
            action: "agent.updated",
            targetType: "agent",
            targetId,
            before: e.before,
            after: e.after,
            reason: e.reason,
          },
        ),
      );
    const stored = await db().auditEvent.findMany({ where: { targetId }, orderBy: { position: "asc" } });
    expect(stored).toHaveLength(inputs.length);
    const head = stored.at(-1)!.position;
    const views = stored.map(auditEventView);

    for (const transport of transports()) {
      const nd = await collect({ targetId }, head, transport);
      expect(nd.map((r) => r.position)).toEqual(stored.map((e) => e.position));
      expect(nd.map((r) => [r.prevHash, r.hash])).toEqual(stored.map((e) => [e.prevHash, e.hash]));
      for (const [i, r] of nd.entries()) expect(JSON.parse(r.line), `${transport} line ${i}`).toEqual(views[i]);

      const [columns, ...ours] = parse(await csvText({ targetId }, head, transport)) as string[][];
      expect(columns).toEqual(EXPORT_COLUMNS);
      const theirs = parse(toCsv(views.map((v) => EXPORT_COLUMNS.map((c) => v[c])))) as string[][];
      expect(ours).toHaveLength(theirs.length);
      const json = new Set([EXPORT_COLUMNS.indexOf("before"), EXPORT_COLUMNS.indexOf("after")]);
      for (const [i, cells] of ours.entries()) {
        expect(
          cells.filter((_, j) => !json.has(j)),
          `${transport} row ${i}`,
        ).toEqual(theirs[i].filter((_, j) => !json.has(j)));
        for (const j of json) expect(jsonCell(cells[j])).toEqual(jsonCell(theirs[i][j]));
        for (const cell of cells) expect(cell).not.toMatch(/^[=+@\t\r]/);
      }
    }
  });

  it("rows whose values hold line breaks and separators come whole across COPY's chunks", async () => {
    const org = await makeOrg();
    const targetId = `breaks-${org.tag}`;
    // About 1.5 MB: many COPY chunks, each row quoted (line breaks, the dialect's own control characters, ""), so
    // rows run on past a chunk's end.
    await inTransaction(async (tx) => {
      for (let i = 0; i < 1500; i++)
        await writeAuditEvent(
          tx,
          { ...org.admin, label: i % 3 ? "" : "\x03" },
          {},
          {
            action: "agent.updated",
            targetType: "agent",
            targetId,
            reason: `line ${i}\n${"\x01\x02\r\n".repeat(i % 7)}${"x".repeat(900 + (i % 101))}\nend`,
          },
        );
    });
    const stored = await db().auditEvent.findMany({ where: { targetId }, orderBy: { position: "asc" } });
    const head = stored.at(-1)!.position;
    for (const transport of transports()) {
      const nd = await collect({ targetId }, head, transport);
      expect(nd.map((r) => JSON.parse(r.line))).toEqual(stored.map(auditEventView));
    }
  });

  it("a hash edited behind the app's back to hold JSON's special characters comes out as stored, in valid JSON", async () => {
    const org = await makeOrg();
    const targetId = `edited-${org.tag}`;
    await inTransaction((tx) =>
      writeAuditEvent(tx, org.admin, {}, { action: "agent.updated", targetType: "agent", targetId }),
    );
    const event = await db().auditEvent.findFirstOrThrow({ where: { targetId } });
    const edited = `${event.hash}"\\\t\x01null`;
    await db().auditEvent.update({ where: { position: event.position }, data: { hash: edited } });
    try {
      for (const transport of transports()) {
        const [row] = await collect({ targetId }, event.position, transport);
        expect(row.hash, transport).toBe(edited);
        expect(JSON.parse(row.line).hash, transport).toBe(edited);
      }
    } finally {
      await db().auditEvent.update({ where: { position: event.position }, data: { hash: event.hash } });
    }
  });

  it("inline filter values as literals: quotes cannot break out, and % _ \\ match only themselves", async () => {
    const org = await makeOrg();
    const targetId = `lit-${org.tag}`;
    await inTransaction((tx) =>
      writeAuditEvent(
        tx,
        { ...org.admin, label: `Robert'); DROP TABLE audit_events;-- ${org.tag}` },
        {},
        { action: "agent.updated", targetType: "agent", targetId, reason: `50% off_now\\ ${org.tag}` },
      ),
    );
    const head = (await db().auditEvent.findFirstOrThrow({ orderBy: { position: "desc" } })).position;
    const cases: [Record<string, string>, number][] = [
      [{ actor: "Robert'); DROP" }, 1],
      [{ actor: "x' OR '1'='1" }, 0],
      [{ q: "50% off_now\\" }, 1],
      [{ q: "%" }, 1],
      [{ q: "50_" }, 0], // a wildcard `_` would match "50%"
      [{ q: "off%now" }, 0], // a wildcard `%` would match "off_now"
      [{ q: "w\\ " }, 1],
      [{ teamId: "t' OR 'x'='x" }, 0],
    ];
    for (const transport of transports())
      for (const [filter, expected] of cases) {
        const rows = await collect({ targetId, ...filter }, head, transport);
        expect(rows, `${transport} ${JSON.stringify(filter)}`).toHaveLength(expected);
      }
    expect(await collect({ targetId: "x' OR '1'='1" }, head)).toEqual([]);
    // Dates PostgreSQL could not read are refused by the schema, not sent.
    for (const from of ["10000-01-01", "1969-12-31", "-000001-01-01T00:00:00Z"])
      expect(() => AuditFilterSchema.parse({ from })).toThrow();
  });

  it("every filter selects the same events over COPY as through Prisma", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `tr-${org.tag}`));
    await suspendAgent(org.admin, {}, agent.id, { reason: `Looping ${org.tag}` });
    const head = (await db().auditEvent.findFirstOrThrow({ orderBy: { position: "desc" } })).position;
    const from = new Date(Date.now() - 60_000).toISOString();
    const filters: Record<string, string>[] = [
      { agentId: agent.id },
      { agentId: agent.id, action: "agent." },
      { agentId: agent.id, action: "agent.suspended" },
      { actor: org.admin.id, from },
      { actor: org.tag.toUpperCase(), from, excludeSignIns: "true" },
      { q: `LOOPING ${org.tag}` },
      { teamId: org.team.id, outcome: "success", targetType: "agent" },
      { targetId: agent.id, to: new Date(Date.now() + 60_000).toISOString() },
      { from, to: from },
    ];
    for (const filter of filters) {
      const positions = await Promise.all(
        transports().map(async (t) => (await collect(filter, head, t)).map((r) => r.position)),
      );
      for (const p of positions) expect(p, JSON.stringify(filter)).toEqual(positions[0]);
      if (!filter.to || filter.to !== filter.from)
        expect(positions[0].length, JSON.stringify(filter)).toBeGreaterThan(0);
    }
  });
});

describe("COPY connections", () => {
  // COPYs from connections (a parallel plan's workers show the same query)
  const copying = async () =>
    Number(
      (
        await db().$queryRaw<{ n: bigint }[]>`
          SELECT count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND query LIKE 'COPY (%' AND backend_type = 'client backend'`
      )[0].n,
    );
  async function until(check: () => boolean | Promise<boolean>, what: string) {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it("a reader that goes away ends its COPY, and more exports than the cap queue instead of taking connections", async (ctx) => {
    if (!canCopyOut()) ctx.skip();
    const org = await makeOrg();
    // Enough rows that a COPY is still running after its first chunk, far above the chain head (removed after).
    const base = (await db().auditEvent.findFirstOrThrow({ orderBy: { position: "desc" } })).position + 100_000n;
    await db().$executeRawUnsafe(`
      INSERT INTO audit_events (position, "occurredAt", "actorType", "actorLabel", action, "targetType", outcome, reason, "prevHash", hash)
      SELECT ${base} + g, now(), 'system', 'bulk', 'agent.updated', 'agent', 'success', repeat('x', 200), md5(g::text), md5(g::text)
      FROM generate_series(1, 30000) g`);
    try {
      // The route's plumbing: the client reads one chunk of data, then cancels (as a closed connection does).
      const { chunks } = await exportAuditEvents(org.auditor, {}, { format: "csv" });
      const reader = (Readable.toWeb(Readable.from(chunks)) as ReadableStream<Uint8Array>).getReader();
      expect(Buffer.from((await reader.read()).value!).toString()).toMatch(/^position,/);
      expect(copiesRunning().running).toBe(1);
      expect(await copying()).toBe(1);
      await reader.cancel();
      await until(async () => copiesRunning().running === 0 && (await copying()) === 0, "the COPY to end");

      const { max } = copiesRunning();
      const copies = Array.from({ length: max + 1 }, () =>
        copyOut(`SELECT * FROM audit_events WHERE position > ${base}`),
      );
      for (const c of copies.slice(0, max)) expect((await c.next()).done).toBe(false);
      const last = copies[max].next();
      await until(() => copiesRunning().waiting === 1, "the extra export to queue");
      expect(await copying()).toBe(max);
      await copies[0].return(undefined);
      expect((await last).done).toBe(false); // it got the freed slot
      expect(copiesRunning()).toMatchObject({ running: max, waiting: 0 });
      for (const c of copies.slice(1)) await c.return(undefined);
      await until(async () => copiesRunning().running === 0 && (await copying()) === 0, "every COPY to end");

      // A reader that stops pulling loses its COPY and its slot, without being asked to stop.
      const stalled = copyOut(`SELECT * FROM audit_events WHERE position > ${base}`, { idleMs: 200 });
      expect((await stalled.next()).done).toBe(false);
      expect(copiesRunning().running).toBe(1);
      await until(async () => copiesRunning().running === 0 && (await copying()) === 0, "the idle COPY to end");
      await expect(stalled.next()).rejects.toThrow(/idle/);
    } finally {
      await db().$executeRawUnsafe(`DELETE FROM audit_events WHERE position > ${base}`);
    }
  });
});
