/**
 * Crash safety and graceful shutdown, on the built app and PostgreSQL (run by npm test when PostgreSQL answers).
 * 1. Usage batches stream in from 4 senders; the server is killed with SIGKILL mid-stream; it is restarted and
 *    every batch that was not acknowledged is sent again (plus some that were, as a client that lost the answer
 *    would). Then: each acknowledged event is stored exactly once, and the hourly rollups and budget spend
 *    equal the raw events.
 * 2. SIGTERM while requests are in flight: every one of them is answered before the process exits.
 * Env: CRASH_PG_URL (server; default TEST_PG_URL or 127.0.0.1:5432), CRASH_BATCHES (120). Exit 0 when all holds.
 */
import fs from "node:fs";
import { type App, freePort, pgServer, scratchDatabase, sql, startBuiltApp, stopApp, waitFor } from "./harness";
import "./outside-next"; // before the dynamic imports of lib/ below

const server = process.env.CRASH_PG_URL ?? pgServer();
const batches = Number(process.env.CRASH_BATCHES ?? 120);
const perBatch = 200;
// A free port, kept across the restart; waitFor checks it is the app this test started that answers there.
const port = await freePort();
const base = `http://127.0.0.1:${port}`;

async function waitUp(app: App) {
  await waitFor(`${base}/api/ready`, app, 60_000);
}

async function main() {
  const db = await scratchDatabase(server, "acp_crash");
  const dbUrl = db.url;
  let app: App | null = null;
  const failures: string[] = [];
  // Server errors go to a log file, printed if anything fails.
  const logFile = `/tmp/acp-crash-${Date.now()}.jsonl`;
  const start = () => startBuiltApp(dbUrl, port, { WEBHOOK_DISPATCH: "off", LOG_LEVEL: "warn", LOG_FILE: logFile });
  try {
    const { systemActor } = await import("../lib/domain/actor");
    const { createTeam } = await import("../lib/domain/teams/create-team");
    const { registerAgent } = await import("../lib/domain/agents/register-agent");
    const { createBudget } = await import("../lib/domain/budgets/create-budget");
    const { createAgentKey } = await import("../lib/domain/keys/create-agent-key");
    const { disconnectDb } = await import("../lib/db/client");
    const sys = systemActor("crash-test");
    const team = await createTeam(sys, {}, { slug: "crash", name: "Crash" });
    const agent = await registerAgent(
      sys,
      {},
      { slug: "crash-agent", name: "Crash agent", teamId: team.id, environment: "dev", config: { model: "m" } },
    );
    const budget = await createBudget(
      sys,
      {},
      { name: "month", scope: "agent", agentId: agent.id, period: "month", limitUsd: 1_000_000, hardAction: "notify" },
    );
    const key = await createAgentKey(sys, {}, agent.id, { name: "crash" });
    await disconnectDb();
    const headers = { Authorization: `Bearer ${key.token}`, "content-type": "application/json" };
    const now = Date.now();
    const batch = (b: number) =>
      JSON.stringify({
        events: Array.from({ length: perBatch }, (_, i) => ({
          id: `b${b}-e${i}`,
          timestamp: new Date(now - ((b * perBatch + i) % 3600) * 1000).toISOString(),
          model: "m",
          inputTokens: 100 + i,
          outputTokens: 10,
          costUsd: 0.000123 * (1 + (i % 7)),
          tool: i % 2 ? "t" : undefined,
        })),
      });
    const send = async (b: number) => {
      const res = await fetch(`${base}/api/v1/runtime/usage`, { method: "POST", headers, body: batch(b) });
      if (!res.ok) throw new Error(`batch ${b}: HTTP ${res.status} ${await res.text()}`);
      const r = (await res.json()) as { accepted: number; duplicates: number };
      if (r.accepted + r.duplicates !== perBatch) throw new Error(`batch ${b}: ${JSON.stringify(r)}`);
    };

    // 1. SIGKILL mid-stream.
    app = start();
    await waitUp(app);
    const acked = new Set<number>();
    let sent = 0;
    let next = 0;
    const killAt = Math.floor(batches / 3);
    const sender = async () => {
      while (next < batches) {
        const b = next++;
        sent++;
        try {
          await send(b);
          acked.add(b);
        } catch {
          return; // the server is gone: stop this sender
        }
        if (acked.size === killAt) void stopApp(app, "SIGKILL");
      }
    };
    await Promise.all([sender(), sender(), sender(), sender()]);
    await stopApp(app, "SIGKILL");
    const ackedBeforeKill = acked.size;
    const lost = Array.from({ length: batches }, (_, b) => b).filter((b) => !acked.has(b));
    app = start();
    await waitUp(app);
    // Resend every unacknowledged batch, and a few acknowledged ones whose answer a client might have missed.
    const resend = [...lost, ...[...acked].slice(0, 5)];
    for (let i = 0; i < resend.length; i += 4)
      await Promise.all(resend.slice(i, i + 4).map((b) => send(b).then(() => acked.add(b))));
    const [counts] = await sql<{ events: string; ids: string; cost: string }>(
      dbUrl,
      `SELECT count(*) AS events, count(DISTINCT "eventId") AS ids, COALESCE(SUM("costMicros"), 0) AS cost FROM usage_events WHERE "agentId" = $1`,
      [agent.id],
    );
    const rollupSums = (table: string) =>
      sql<{ calls: string; cost: string }>(
        dbUrl,
        `SELECT COALESCE(SUM(calls), 0) AS calls, COALESCE(SUM("costMicros"), 0) AS cost FROM ${table} WHERE "agentId" = $1`,
        [agent.id],
      ).then((r) => r[0]);
    const [rollups, daily] = [await rollupSums("usage_rollups_hourly"), await rollupSums("usage_rollups_daily")];
    const [spent] = await sql<{ spent: string }>(
      dbUrl,
      `SELECT COALESCE(SUM("spentMicros"), 0) AS spent FROM budget_period_usage WHERE "budgetId" = $1`,
      [budget.id],
    );
    const expected = batches * perBatch;
    if (acked.size !== batches) failures.push(`only ${acked.size} of ${batches} batches acknowledged`);
    if (Number(counts.events) !== expected || Number(counts.ids) !== expected)
      failures.push(`events stored ${counts.events} (distinct ${counts.ids}), expected ${expected} exactly once`);
    if (rollups.calls !== counts.events || rollups.cost !== counts.cost)
      failures.push(
        `rollups (${rollups.calls} calls, ${rollups.cost} µ$) differ from raw events (${counts.events}, ${counts.cost} µ$)`,
      );
    if (daily.calls !== counts.events || daily.cost !== counts.cost)
      failures.push(
        `daily rollups (${daily.calls} calls, ${daily.cost} µ$) differ from raw events (${counts.events}, ${counts.cost} µ$)`,
      );
    if (spent.spent !== counts.cost)
      failures.push(`budget spend ${spent.spent} µ$ differs from raw events ${counts.cost} µ$`);
    console.log(
      `[crash] ${batches} batches × ${perBatch} events; SIGKILL after ${ackedBeforeKill} acknowledged (${sent} sent); ${resend.length} resent after restart; ${counts.events} events verified exactly once; hourly and daily rollups and budget spend equal the raw events`,
    );

    // 2. SIGTERM with requests in flight: all of them are answered.
    // Big batches (1,000 events) keep the server busy for a few seconds; the signal comes once all are connected.
    const big = (b: number) =>
      JSON.stringify({
        events: Array.from({ length: 1000 }, (_, i) => ({
          id: `s${b}-e${i}`,
          timestamp: new Date(now - i * 1000).toISOString(),
          model: "m",
          inputTokens: 1,
          outputTokens: 1,
          costUsd: 0.0001,
        })),
      });
    const inflight = Array.from({ length: 12 }, (_, i) =>
      fetch(`${base}/api/v1/runtime/usage`, { method: "POST", headers, body: big(i) }).then(
        (r) => r.status,
        (e: Error) => `error: ${e.message}`,
      ),
    );
    await new Promise((r) => setTimeout(r, 400));
    const stopped = stopApp(app, "SIGTERM");
    const statuses = await Promise.all(inflight);
    await stopped;
    app = null;
    const answered = statuses.filter((s) => s === 200).length;
    if (answered !== statuses.length)
      failures.push(
        `graceful shutdown: ${answered} of ${statuses.length} in-flight requests answered (${statuses.join(", ")})`,
      );
    console.log(`[shutdown] SIGTERM with ${statuses.length} requests in flight: ${answered} answered 200`);
  } catch (err) {
    failures.push(String(err));
  } finally {
    await stopApp(app, "SIGKILL");
    await db.drop();
    if (failures.length && fs.existsSync(logFile))
      console.error(fs.readFileSync(logFile, "utf8").split("\n").slice(-20).join("\n"));
  }
  for (const f of failures) console.error(`[crash] FAILED: ${f}`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
