/**
 * The cost of streaming the audit trail to a SIEM, on PostgreSQL, in-process: BENCH_SIEM_EVENTS audit events (a valid
 * chain, 20,000 by default) delivered from the start to a local HTTPS-NDJSON receiver (plain HTTP on loopback) and
 * to a syslog listener over TCP, in the default batches of 500, each batch read from the trail, serialised, sent,
 * acknowledged and the sink's position moved on. Beside each, the limit measured in the same run: the same bytes,
 * built beforehand, sent in the same batches to the same receiver by a bare loop (no database, no bookkeeping). Each
 * the median of BENCH_RUNS samples (at least 3). Run by `npm run bench`. Env: BENCH_PG_URL, BENCH_SIEM_EVENTS, BENCH_RUNS.
 */
import http from "node:http";
import net from "node:net";
import { pgServer, scratchDatabase } from "../scripts/harness";
import { percent, row, samples, show, summarise } from "./measure";
import "../scripts/outside-next"; // before the dynamic imports of lib/ below

const server = pgServer();
const total = Number(process.env.BENCH_SIEM_EVENTS ?? 20_000);
const runs = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));
const BATCH = 500;

/** Counts NDJSON lines POSTed to it. */
async function httpReceiver() {
  let lines = 0;
  const srv = http.createServer((req, res) => {
    req.on("data", (c: Buffer) => {
      for (const b of c) if (b === 10) lines++;
    });
    req.on("end", () => res.writeHead(200).end());
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  return { port: (srv.address() as net.AddressInfo).port, lines: () => lines, close: () => srv.close() };
}

/** A syslog listener: reads each connection to the end, then closes (as rsyslog and syslog-ng do). */
async function syslogReceiver() {
  let bytes = 0;
  const srv = net.createServer((s) => {
    s.on("data", (c: Buffer) => {
      bytes += c.length;
    });
    s.on("end", () => s.end());
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  return { port: (srv.address() as net.AddressInfo).port, bytes: () => bytes, close: () => srv.close() };
}

async function main() {
  const db = await scratchDatabase(server, "acp_bench_siem");
  process.env.WEBHOOK_ALLOW_PRIVATE = "1";
  try {
    const { db: client, disconnectDb } = await import("../lib/db/client");
    const { auditHash, GENESIS_HASH } = await import("../lib/domain/audit/hash");
    const { auditEventView } = await import("../lib/domain/audit/view");
    const { deliverAuditSinks } = await import("../lib/domain/audit/sinks/deliver");
    const { ndjson, syslogFrames } = await import("../lib/domain/audit/sinks/transports");

    // A valid chain of `total` events, written directly (the bench measures delivery, not appends).
    let prevHash = GENESIS_HASH;
    const start = Date.now() - total * 1000;
    for (let from = 1; from <= total; from += 5000) {
      const rows = [];
      for (let p = from; p < Math.min(from + 5000, total + 1); p++) {
        const e = {
          position: BigInt(p),
          occurredAt: new Date(start + p * 1000),
          actorType: "user",
          actorId: "0193a1b2-0000-7000-8000-000000000001",
          actorLabel: "admin@example.com",
          action: "permission.rule_updated",
          targetType: "permission_rule",
          targetId: `rule-${p}`,
          teamId: null,
          agentId: "0193a1b2-0000-7000-8000-0000000000aa",
          outcome: "success",
          before: { effect: "allow", action: "github.*", resource: "repo:acme/*", maxCostMicros: null },
          after: { effect: "deny", action: "github.*", resource: "repo:acme/*", maxCostMicros: "500000" },
          reason: null,
          requestId: `req-${p}`,
          ip: "203.0.113.7",
          prevHash,
        };
        const hash = auditHash(e);
        rows.push({ ...e, hash });
        prevHash = hash;
      }
      await client().auditEvent.createMany({ data: rows });
    }
    await client().auditChainHead.upsert({
      where: { id: 1 },
      create: { id: 1, position: BigInt(total), hash: prevHash },
      update: { position: BigInt(total), hash: prevHash },
    });
    const events = (await client().auditEvent.findMany({ orderBy: { position: "asc" } })).map(auditEventView);
    const batches = Array.from({ length: Math.ceil(total / BATCH) }, (_, i) =>
      events.slice(i * BATCH, (i + 1) * BATCH),
    );

    const httpRx = await httpReceiver();
    const syslogRx = await syslogReceiver();
    const sink = (kind: "https" | "syslog", url: string) =>
      client().auditSink.create({ data: { name: kind, kind, url, secret: kind === "https" ? "whsec_bench" : null } });
    const httpsSink = await sink("https", `http://127.0.0.1:${httpRx.port}/audit`);
    const syslogSink = await sink("syslog", `tcp://127.0.0.1:${syslogRx.port}`);

    /** Events/s for the whole trail through the sink, from position 0. */
    const ours = (id: string) => async () => {
      await client().auditSink.update({ where: { id }, data: { ackedPosition: 0, leaseUntil: null } });
      const t = performance.now();
      const r = await deliverAuditSinks({ ids: [id], maxBatches: 1_000_000 });
      if (r.delivered !== total || r.failed) throw new Error(`delivered ${r.delivered} of ${total}`);
      return total / ((performance.now() - t) / 1000);
    };
    const bareHttp = async () => {
      const bodies = batches.map(ndjson);
      const t = performance.now();
      for (const body of bodies)
        await new Promise<void>((resolve, reject) => {
          const req = http.request(
            {
              host: "127.0.0.1",
              port: httpRx.port,
              method: "POST",
              path: "/audit",
              headers: { "content-type": "application/x-ndjson" },
            },
            (res) => res.resume().on("end", resolve),
          );
          req.on("error", reject);
          req.end(body);
        });
      return total / ((performance.now() - t) / 1000);
    };
    const bareSyslog = async () => {
      const frames = batches.map((b) => syslogFrames(b));
      const t = performance.now();
      for (const f of frames)
        await new Promise<void>((resolve, reject) => {
          const s = net.connect({ host: "127.0.0.1", port: syslogRx.port });
          s.on("error", reject);
          s.on("close", () => resolve());
          s.resume();
          s.end(f);
        });
      return total / ((performance.now() - t) / 1000);
    };
    await ours(httpsSink.id)(); // warm-up
    const https = summarise(await samples(runs, ours(httpsSink.id)));
    const httpLimit = summarise(await samples(runs, bareHttp));
    const syslog = summarise(await samples(runs, ours(syslogSink.id)));
    const syslogLimit = summarise(await samples(runs, bareSyslog));
    httpRx.close();
    syslogRx.close();
    await disconnectDb();
    console.log(
      `\nSIEM delivery: ${total.toLocaleString("en-US")} audit events from the start of the trail, batches of ${BATCH} (median of ${runs} samples, min–max)\n`,
    );
    console.log("| path | ours | limit measured in this run | ratio |");
    console.log("| --- | --- | --- | --- |");
    console.log(
      row(
        "HTTPS NDJSON sink (signed batches, loopback)",
        show(https, 0, " events/s"),
        "the same bytes POSTed by a bare loop",
        show(httpLimit, 0, " events/s"),
        percent(https.median, httpLimit.median),
      ),
    );
    console.log(
      row(
        "syslog sink, RFC 5424 over TCP",
        show(syslog, 0, " events/s"),
        "the same frames written by a bare loop",
        show(syslogLimit, 0, " events/s"),
        percent(syslog.median, syslogLimit.median),
      ),
    );
  } finally {
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
