/**
 * Audit export figures on PostgreSQL: 1,000,000 audit events exported as CSV through the API (streamed), beside
 * `psql \copy` of the same rows (each the median of BENCH_RUNS samples, at least 3), with the app server's peak RSS.
 * Run by `npm run bench` after the runtime figures. Env: BENCH_PG_URL (server), BENCH_AUDIT_EVENTS (1000000), BENCH_RUNS.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import pg from "pg";
import {
  type App,
  freePort,
  pgServer,
  scratchDatabase,
  seedPerson,
  startBuiltApp,
  stopApp,
  waitFor,
} from "../scripts/harness";
import { percent, row, samples, show, summarise } from "./measure";
import "../scripts/outside-next"; // before the dynamic imports of lib/ below

const server = pgServer();
// A free port, and waitFor checks that the app this bench started is the one answering there.
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const total = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const runs = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));

/** VmHWM: the process's peak resident set size so far; VmRSS: its resident set size now. */
function memory(pid: number, field: "VmHWM" | "VmRSS"): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
}

async function main() {
  const db = await scratchDatabase(server, "acp_bench_audit");
  const dbUrl = db.url;
  let app: App | null = null;
  try {
    const { disconnectDb } = await import("../lib/db/client");
    const pat = await seedPerson("bench-auditor@acp.local", "auditor");
    await disconnectDb();

    // Rows shaped like real events (before/after JSON, reasons, request ids), appended at the chain head and linked
    // to it and to each other (a filtered export checks every position is there and linked); their hashes are not
    // of their content here. The head moves past them, so the app's own events follow.
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    const t0 = performance.now();
    const link = (g: string) => `md5((${g})::text) || md5((${g})::text)`;
    await c.query(`
      INSERT INTO audit_events (position, "occurredAt", "actorType", "actorId", "actorLabel", action, "targetType", "targetId", "teamId", "agentId", outcome, before, after, reason, "requestId", ip, "prevHash", hash)
      SELECT h.position + g, now() - (g || ' seconds')::interval, 'user', 'u-' || (g % 50), 'person' || (g % 50) || '@example.com', 'agent.updated', 'agent', 'a-' || (g % 500), 't-' || (g % 5), 'a-' || (g % 500), 'success',
             jsonb_build_object('name', 'Agent ' || g, 'environment', 'dev'), jsonb_build_object('name', 'Agent "' || g || '", renamed', 'environment', 'prod'),
             'change, with "quotes" #' || g, md5(g::text), '10.0.0.' || (g % 250), CASE WHEN g = 1 THEN h.hash ELSE ${link("g - 1")} END, ${link("g")}
      FROM audit_chain_head h, generate_series(1, ${total}) g WHERE h.id = 1`);
    await c.query(
      `UPDATE audit_chain_head SET position = position + ${total}, hash = ${link(String(total))} WHERE id = 1`,
    );
    // As autovacuum leaves a table of older events (visibility map, hint bits, statistics), for us and for psql alike.
    await c.query("VACUUM ANALYZE audit_events");
    console.log(
      `\nAudit export: ${total.toLocaleString("en-US")} events inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    await c.end();

    app = startBuiltApp(dbUrl, port, { WEBHOOK_DISPATCH: "off", AUDIT_CHECKPOINT_POLL_MS: "3600000" });
    await waitFor(`${base}/api/v1/health`, app);
    const pid = app.pid!;
    const rssBefore = memory(pid, "VmRSS");
    const peakBefore = memory(pid, "VmHWM");
    // The server's resident set sampled through the exports (its peak since start-up includes start-up's own).
    let rssMax = rssBefore;
    const sampler = setInterval(() => {
      rssMax = Math.max(rssMax, memory(pid, "VmRSS"));
    }, 50);
    // The client is curl counting lines with wc, as `psql \copy` below is a C client too: a client in this process
    // (fetch, then counting) took a core's share of CPU the server and the database need on a 2-core machine,
    // measured against psql's own C. The line count checks the export came whole.
    const exportOnce = (format: "csv" | "ndjson") => async () => {
      const t = performance.now();
      const lines = await new Promise<number>((resolve, reject) => {
        const client = spawn(
          "bash",
          ["-o", "pipefail", "-c", 'curl -sS --fail -H "Authorization: Bearer $TOKEN" "$URL" | wc -l'],
          {
            env: {
              ...process.env,
              TOKEN: pat.token,
              URL: `${base}/api/v1/audit/export?format=${format}&action=agent.updated`,
            },
            stdio: ["ignore", "pipe", "inherit"],
          },
        );
        let out = "";
        client.stdout.on("data", (d) => {
          out += d;
        });
        client.on("error", reject);
        client.on("close", (code) =>
          code === 0 ? resolve(Number(out.trim())) : reject(new Error(`${format} export failed (curl exit ${code})`)),
        );
      });
      // Every event once, plus the CSV header line, or the NDJSON header, two skipped runs (the set-up's events before
      // the rows inserted, the exports' own after them) and the trailer.
      if (lines !== total + (format === "csv" ? 1 : 4))
        throw new Error(`${format} export had ${lines} lines for ${total} events`);
      return total / ((performance.now() - t) / 1000);
    };
    const csv = summarise(await samples(runs, exportOnce("csv")));
    const ndjson = summarise(await samples(runs, exportOnce("ndjson")));
    clearInterval(sampler);
    const rssPeak = memory(pid, "VmHWM");
    const copy = summarise(
      await samples(runs, async () => {
        const t = performance.now();
        const psql = spawnSync(
          "psql",
          [
            dbUrl,
            "-qc",
            `\\copy (SELECT * FROM audit_events WHERE action = 'agent.updated' ORDER BY position) TO '/dev/null' WITH CSV HEADER`,
          ],
          { encoding: "utf8" },
        );
        if (psql.status !== 0) throw new Error(psql.stderr);
        return total / ((performance.now() - t) / 1000);
      }),
    );
    const mib = (n: number) => `${(n / 1048576).toFixed(0)} MiB`;
    console.log(`(median of ${runs} samples, min–max)\n`);
    console.log("| path | ours | limit measured in this run | ratio |");
    console.log("| --- | --- | --- | --- |");
    console.log(
      row(
        `audit export, ${total.toLocaleString("en-US")} rows CSV`,
        show(csv, 0, " rows/s"),
        "`psql \\copy` of the same rows",
        show(copy, 0, " rows/s"),
        percent(csv.median, copy.median),
      ),
    );
    console.log(
      row(
        `audit export, ${total.toLocaleString("en-US")} rows NDJSON (verifiable: header, skipped runs, trailer)`,
        show(ndjson, 0, " rows/s"),
        "`psql \\copy` of the same rows",
        show(copy, 0, " rows/s"),
        percent(ndjson.median, copy.median),
      ),
    );
    console.log(
      `| app server RSS during the exports | at most ${mib(rssMax)} (before them: ${mib(rssBefore)}; peak since start-up ${mib(rssPeak)}, at start-up ${mib(peakBefore)}) | — | — |`,
    );
  } finally {
    await stopApp(app);
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
