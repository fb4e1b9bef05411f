/**
 * npm run bench: runtime API figures on PostgreSQL. Starts the built app on a free port against a fresh database,
 * its console and its data plane (the runtime's hot routes without Next, scripts/serve.mjs --data-plane), each
 * checked to be the instance answering, then prints one table, each figure the median of BENCH_RUNS samples with its
 * spread, beside a limit measured in the same run. The runtime's calls go to the data plane, as a load balancer
 * routes them (npm run cluster), an admin's to the console:
 *   - authorize latency p50/p99 at BENCH_RATE req/s open loop (with an estimate to reserve, and without), beside a
 *     `SELECT 1` round trip through a pool of 10, a one-row INSERT committed durably (the disk flush every decision
 *     waits for) and the app's own GET /api/v1/health; and the same authorize through its domain function in the
 *     bench's process (no HTTP, no Next), and through the console's process (Next's), beside the round trip; and the
 *     p99 of the first 2 s of calls after 15 s without one, beside the p99 without a pause;
 *   - authorize saturation throughput (BENCH_CONNECTIONS closed loop), beside /api/v1/health's;
 *   - 50 agents authorizing at saturation under one organisation budget, beside the same with no shared budget;
 *   - during a flood of denied calls from one agent (BENCH_FLOOD_RATE req/s, default 50, open loop), another agent's
 *     authorize p99 and an admin's change p99, beside the same without the flood (every denial is checked to be
 *     audited exactly once);
 *   - usage ingestion events/s for batches of 500 through the API, beside a raw COPY of the same rows; the same
 *     batches through ingestion's domain function in the bench's process (what Next's request handling costs); and the
 *     same rows inserted as ingestion inserts them inside the database (its ceiling), beside the COPY; and ingestion
 *     beside COPY as ingestion has to write (the same batches into usage_events itself, a transaction each).
 * Env: BENCH_PG_URL (server, default postgresql://postgres@127.0.0.1:5432/postgres), BENCH_RATE (100),
 * BENCH_SECONDS (10), BENCH_RUNS (3, at least 3), BENCH_CONNECTIONS (20), BENCH_BATCHES (40), BENCH_FLOOD_RATE (50).
 * Timings are printed, never asserted.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import autocannon from "autocannon";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { Pool } from "undici";
import {
  type App,
  freePort,
  pgServer,
  scratchDatabase,
  seedPerson,
  sql,
  startBuiltApp,
  stopApp,
  waitFor,
} from "../scripts/harness";
import { openLoop, pair, pairRow, percent, ratio, row, samples, show, summarise } from "./measure";
import "../scripts/outside-next"; // before the dynamic imports of lib/ below

const server = pgServer();
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rate = Number(process.env.BENCH_RATE ?? 100);
const runs = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));
const batches = Number(process.env.BENCH_BATCHES ?? 40);
const floodRate = Number(process.env.BENCH_FLOOD_RATE ?? 50);
// A free port, and waitFor checks that the app this bench started is the one answering there.
const [port, planePort] = [await freePort(), await freePort()];
const base = `http://127.0.0.1:${port}`;
const planeBase = `http://127.0.0.1:${planePort}`;

function load(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (err, res) => (err ? reject(err) : resolve(res))));
}

async function main() {
  const db = await scratchDatabase(server, "acp_bench");
  const dbUrl = db.url;
  let app: App | null = null;
  let plane: App | null = null;
  try {
    const { systemActor } = await import("../lib/domain/actor");
    const { createTeam } = await import("../lib/domain/teams/create-team");
    const { registerAgent } = await import("../lib/domain/agents/register-agent");
    const { addPermissionRule } = await import("../lib/domain/permissions/add-permission-rule");
    const { createBudget } = await import("../lib/domain/budgets/create-budget");
    const { setModelPrice } = await import("../lib/domain/pricing/set-model-price");
    const { createAgentKey } = await import("../lib/domain/keys/create-agent-key");
    const { disconnectDb } = await import("../lib/db/client");
    const sys = systemActor("bench");
    const team = await createTeam(sys, {}, { slug: "bench", name: "Bench" });
    const agent = await registerAgent(
      sys,
      {},
      {
        slug: "bench-agent",
        name: "Bench agent",
        teamId: team.id,
        environment: "prod",
        config: { model: "gpt-5", fallbackModel: "gpt-5-mini" },
      },
    );
    for (const r of [
      { effect: "allow" as const, action: "tool:invoke", resource: "github.*" },
      { effect: "deny" as const, action: "tool:invoke", resource: "github.delete_*" },
      { effect: "allow" as const, action: "model:use", resource: "gpt-5*", maxCostPerCallUsd: 5 },
    ])
      await addPermissionRule(sys, {}, agent.id, r);
    await createBudget(
      sys,
      {},
      { name: "agent day", scope: "agent", agentId: agent.id, period: "day", limitUsd: 1_000_000, hardAction: "block" },
    );
    await createBudget(
      sys,
      {},
      {
        name: "team month",
        scope: "team",
        teamId: team.id,
        period: "month",
        limitUsd: 5_000_000,
        hardAction: "degrade",
      },
    );
    // The organisation budget is created after the fleet's first measurement (below), which must share no row.
    const orgBudget = () =>
      createBudget(
        sys,
        {},
        { name: "org month", scope: "org", period: "month", limitUsd: 9_000_000, hardAction: "notify" },
      );
    // A fleet of 50 agents, each with its own budget: authorize throughput with and without one budget they share.
    const fleetTeam = await createTeam(sys, {}, { slug: "fleet", name: "Fleet" });
    const fleetKeys: string[] = [];
    for (let i = 0; i < 50; i++) {
      const a = await registerAgent(
        sys,
        {},
        {
          slug: `fleet-${i}`,
          name: `Fleet ${i}`,
          teamId: fleetTeam.id,
          environment: "prod",
          config: { model: "gpt-5" },
        },
      );
      await addPermissionRule(sys, {}, a.id, { effect: "allow", action: "model:use", resource: "gpt-5*" });
      await createBudget(
        sys,
        {},
        {
          name: `fleet ${i} day`,
          scope: "agent",
          agentId: a.id,
          period: "day",
          limitUsd: 1_000_000,
          hardAction: "block",
        },
      );
      fleetKeys.push((await createAgentKey(sys, {}, a.id, { name: "fleet" })).token);
    }
    await setModelPrice(
      sys,
      {},
      {
        provider: "openai",
        model: "gpt-5",
        inputUsdPerMTok: 1.25,
        cachedInputUsdPerMTok: 0.125,
        outputUsdPerMTok: 10,
        effectiveFrom: new Date("2025-01-01"),
      },
    );
    const key = await createAgentKey(sys, {}, agent.id, { name: "bench" });
    // A runaway agent with no rules (every call denied and audited), and an admin with an API token.
    const flooder = await registerAgent(
      sys,
      {},
      { slug: "flooder", name: "Flooder", teamId: team.id, environment: "prod", config: { model: "gpt-5" } },
    );
    const floodKey = await createAgentKey(sys, {}, flooder.id, { name: "flood" });
    const pat = await seedPerson("bench@acp.local", "admin");
    await disconnectDb();

    // The agent-key rate limit is off: a longer run must measure authorize, not 429s.
    const appEnv = {
      DATABASE_POOL_SIZE: "10",
      WEBHOOK_DISPATCH: "off",
      RATE_LIMIT_AGENT_KEY_PER_MINUTE: "0",
      RATE_LIMIT_PERSON_PER_MINUTE: "0",
    };
    app = startBuiltApp(dbUrl, port, appEnv);
    await waitFor(`${base}/api/v1/health`, app);
    plane = startBuiltApp(dbUrl, planePort, appEnv, { dataPlane: true });
    await waitFor(`${planeBase}/api/v1/health`, plane);
    const auth = { authorization: `Bearer ${key.token}`, "content-type": "application/json" };

    // The fleet at saturation, each connection cycling through the 50 agents' keys: first with no budget shared
    // between them, then with the organisation budget covering all 50 (every call reserves on its one period row).
    const fleetSaturation = async () =>
      summarise(
        await samples(runs, async () => {
          const r = await load({
            url: `${planeBase}/api/v1/runtime/authorize`,
            connections,
            duration: Math.max(3, Math.round(seconds / 2)),
            requests: fleetKeys.map((k) => ({
              method: "POST" as const,
              headers: { authorization: `Bearer ${k}`, "content-type": "application/json" },
              body: JSON.stringify({ action: "model:use", resource: "gpt-5", estimatedCostUsd: 0.01 }),
            })),
          });
          if (r.non2xx || r.errors) throw new Error(`${r.non2xx + r.errors} fleet requests failed`);
          return r.requests.average;
        }),
      );
    const fleetApart = await fleetSaturation();
    await orgBudget();
    await disconnectDb();
    const fleetShared = await fleetSaturation();
    // Each figure on a settled database: the fleet's tens of thousands of calls leave dead row versions on the budget
    // rows every later call updates (the organisation budget's above all) and dirty pages to write out, which
    // autovacuum and the checkpointer catch up with meanwhile. Measured after them, the latency figures' p99 took
    // that catching up (131 ms median, 18–177 ms, against 11–27 ms on a fresh one).
    await sql(dbUrl, "VACUUM ANALYZE");
    await sql(dbUrl, "CHECKPOINT");

    // The runtime's calls to the data plane, an admin's to the console.
    const http = new Pool(planeBase, { connections: 64, pipelining: 1 });
    const consoleHttp = new Pool(base, { connections: 64, pipelining: 1 });
    const dbPool = new pg.Pool({ connectionString: dbUrl, max: 10 });
    // Should the bench fail, dropping the database ends these connections: that must not crash it over the failure.
    dbPool.on("error", () => {});
    const call =
      (path: string, body?: unknown, to = http) =>
      async () => {
        const res = await to.request({
          path,
          method: body ? "POST" : "GET",
          headers: body ? auth : {},
          body: body ? JSON.stringify(body) : undefined,
        });
        await res.body.dump();
        return res.statusCode >= 200 && res.statusCode < 300;
      };
    const health = call("/api/v1/health");
    const authzEstimate = call("/api/v1/runtime/authorize", {
      action: "model:use",
      resource: "gpt-5",
      estimatedCostUsd: 0.01,
    });
    const authzPlain = call("/api/v1/runtime/authorize", { action: "tool:invoke", resource: "github.search" });
    const authzConsole = call(
      "/api/v1/runtime/authorize",
      { action: "model:use", resource: "gpt-5", estimatedCostUsd: 0.01 },
      consoleHttp,
    );
    const select1 = async () => {
      await dbPool.query("SELECT 1");
      return true;
    };
    // The least a durable write waits for: a one-row INSERT committed on its own (synchronous_commit on, the
    // server's default), i.e. a round trip and a flush of the write-ahead log to disk. Every decision is such a write.
    await dbPool.query("CREATE TABLE bench_flush (x int)");
    const commit1 = async () => {
      await dbPool.query("INSERT INTO bench_flush VALUES (1)");
      return true;
    };

    // Warm up every path (JIT, pools, plans), then sample each in turn.
    for (const f of [health, authzEstimate, authzPlain, authzConsole, select1, commit1]) await openLoop(rate, 2, f);
    const latencyOf = async (f: () => Promise<boolean>) => {
      const xs = await samples(runs, () => openLoop(rate, seconds, f));
      const errors = xs.reduce((a, x) => a + x.errors, 0);
      if (errors) throw new Error(`${errors} requests failed while measuring`);
      return { p50: summarise(xs.map((x) => x.p50)), p99: summarise(xs.map((x) => x.p99)) };
    };
    const roundTrip = await latencyOf(select1);
    const durable = await latencyOf(commit1);
    const healthLat = await latencyOf(health);
    const estimateLat = await latencyOf(authzEstimate);
    const plainLat = await latencyOf(authzPlain);
    const consoleLat = await latencyOf(authzConsole);
    // A runtime that paused: the first 2 s of calls after 15 s without one (the data plane's pools idle meanwhile).
    const afterPause = summarise(
      await samples(runs, async () => {
        await new Promise((r) => setTimeout(r, 15_000));
        const r = await openLoop(rate, 2, authzEstimate);
        if (r.errors) throw new Error(`${r.errors} requests failed after a pause`);
        return r.p99;
      }),
    );

    // Saturation: closed loop at a fixed concurrency, requests per second.
    const saturate = async (path: string, body?: unknown, to = planeBase) =>
      summarise(
        await samples(runs, async () => {
          const r = await load({
            url: `${to}${path}`,
            method: body ? "POST" : "GET",
            headers: body ? auth : {},
            body: body ? JSON.stringify(body) : undefined,
            connections,
            duration: Math.max(3, Math.round(seconds / 2)),
          });
          if (r.non2xx || r.errors) throw new Error(`${r.non2xx + r.errors} requests failed while saturating ${path}`);
          return r.requests.average;
        }),
      );
    const healthMax = await saturate("/api/v1/health");
    const consoleHealthMax = await saturate("/api/v1/health", undefined, base);
    const authzMax = await saturate("/api/v1/runtime/authorize", {
      action: "model:use",
      resource: "gpt-5",
      estimatedCostUsd: 0.01,
    });

    // A denial flood: the flooder at BENCH_FLOOD_RATE (open loop), while another agent authorizes at half the latency
    // rate and an admin edits an agent at 5 req/s; their p99 beside the same without the flood.
    let edits = 0;
    const adminEdit = async () => {
      const res = await consoleHttp.request({
        path: `/api/v1/agents/${agent.id}`,
        method: "PATCH",
        headers: { authorization: `Bearer ${pat.token}`, "content-type": "application/json" },
        body: JSON.stringify({ description: `edit ${edits++}` }),
      });
      await res.body.dump();
      return res.statusCode === 200;
    };
    const floodCall = async () => {
      const res = await http.request({
        path: "/api/v1/runtime/authorize",
        method: "POST",
        headers: { authorization: `Bearer ${floodKey.token}`, "content-type": "application/json" },
        body: JSON.stringify({ action: "tool:invoke", resource: "anything" }),
      });
      await res.body.dump();
      return res.statusCode === 200;
    };
    const alongside = async (flood: boolean) => {
      const xs = await samples(runs, async () => {
        // Open loop, so the flood keeps its rate; keep it below saturation to measure contention, not a starved CPU.
        const flooding = flood ? openLoop(floodRate, seconds + 1, floodCall) : null;
        const [others, admin] = await Promise.all([
          openLoop(rate / 2, seconds, authzPlain),
          openLoop(5, seconds, adminEdit),
        ]);
        const r = await flooding;
        if (others.errors || admin.errors)
          throw new Error(`${others.errors + admin.errors} requests failed beside the flood`);
        if (r?.errors) throw new Error(`${r.errors} flood requests failed`);
        return { others: others.p99, admin: admin.p99 };
      });
      return {
        others: summarise(xs.map((x) => x.others)),
        admin: summarise(xs.map((x) => x.admin)),
      };
    };
    const quiet = await alongside(false);
    const flooded = await alongside(true);
    // Every denial is in the audit trail exactly once (appended at once or through the outbox), a moment later.
    const audited = async () =>
      (
        await dbPool.query(
          `SELECT (SELECT count(*) FROM decisions WHERE "agentId" = $1) AS d,
                  (SELECT count(*) FROM audit_events WHERE "agentId" = $1 AND action = 'decision.denied') AS a`,
          [flooder.id],
        )
      ).rows[0] as { d: string; a: string };
    let counts = await audited();
    for (let i = 0; i < 100 && counts.a !== counts.d; i++) {
      await new Promise((r) => setTimeout(r, 200));
      counts = await audited();
    }
    if (counts.a !== counts.d) throw new Error(`${counts.d} denials but ${counts.a} audit events`);

    // What the data plane is for: authorize's p99 while the console is busy (an auditor paging through the trail,
    // 200 events a page, 10 pages/s), through the data plane and through the console's own process.
    const consoleRead = async () => {
      const res = await consoleHttp.request({
        path: "/api/v1/audit/events?limit=200",
        method: "GET",
        headers: { authorization: `Bearer ${pat.token}` },
      });
      await res.body.dump();
      return res.statusCode === 200;
    };
    const besideConsole = async (f: () => Promise<boolean>) =>
      summarise(
        await samples(runs, async () => {
          const reading = openLoop(10, seconds + 1, consoleRead);
          const r = await openLoop(rate / 2, seconds, f);
          const reads = await reading;
          if (r.errors || reads.errors)
            throw new Error(`${r.errors + reads.errors} requests failed beside the console`);
          return r.p99;
        }),
      );
    const planeBusy = await besideConsole(authzEstimate);
    const consoleBusy = await besideConsole(authzConsole);

    // Usage ingestion: batches of 500 through the API (4 senders), then the same rows by COPY into a scratch table.
    const now = Date.now();
    const mkBatch = (sample: number, b: number) =>
      Array.from({ length: 500 }, (_, i) => ({
        id: `bench-${sample}-${b}-${i}`,
        timestamp: new Date(now - (b * 500 + i) * 1000).toISOString(),
        model: "gpt-5",
        inputTokens: 1200 + i,
        cachedInputTokens: 200,
        outputTokens: 300,
        tool: i % 3 ? "github.search" : undefined,
        latencyMs: 800,
      }));
    // Each way of ingesting is warmed up first with one unmeasured round, as the latency paths are: a first round
    // pays for loading the route and the JIT (it read 20,000 events/s where the rounds after it read 33,000–38,000).
    const ingestRound = async (sample: number) => {
      // The bodies are encoded before the clock starts, as the COPY's rows are: the senders share the machine's
      // two cores with the app, and encoding in the timed part charged the client's work to the server.
      const all = Array.from({ length: batches }, (_, b) => JSON.stringify({ events: mkBatch(sample, b) }));
      const t0 = performance.now();
      const sent = await Promise.all(
        [0, 1, 2, 3].map(async (w) => {
          let n = 0;
          for (let b = w; b < batches; b += 4) {
            const r = await fetch(`${planeBase}/api/v1/runtime/usage`, {
              method: "POST",
              headers: auth,
              body: all[b],
            });
            if (!r.ok) throw new Error(`usage batch failed: ${r.status} ${await r.text()}`);
            n += (await r.json()).accepted;
          }
          return n;
        }),
      );
      const accepted = sent.reduce((a, b) => a + b, 0);
      if (accepted !== batches * 500) throw new Error(`${accepted} of ${batches * 500} events accepted`);
      return accepted / ((performance.now() - t0) / 1000);
    };
    await ingestRound(-1);
    const ingest = await samples(runs, ingestRound);

    // The same batches through ingestion's domain function in this process, 4 at a time, each body parsed as the
    // route parses it: ingestion without Next's request handling (the HTTP exchange, the body read and answered).
    const { ingestUsage } = await import("../lib/domain/usage/ingest-usage");
    const { closeLeanPool } = await import("../lib/db/lean");
    const directRound = async (sample: number) => {
      // Event ids of their own (the HTTP rounds' samples are -1 to runs - 1).
      const all = Array.from({ length: batches }, (_, b) => JSON.stringify({ events: mkBatch(1000 + sample, b) }));
      const t0 = performance.now();
      const sent = await Promise.all(
        [0, 1, 2, 3].map(async (w) => {
          let n = 0;
          for (let b = w; b < batches; b += 4) n += (await ingestUsage(agent.id, JSON.parse(all[b]))).accepted;
          return n;
        }),
      );
      const accepted = sent.reduce((a, b) => a + b, 0);
      if (accepted !== batches * 500) throw new Error(`${accepted} of ${batches * 500} events accepted in process`);
      return accepted / ((performance.now() - t0) / 1000);
    };
    await directRound(-1);
    const direct = await samples(runs, directRound);
    // Authorize the same way: its domain function in this process, without HTTP and outside Next's process (whose
    // young-generation collections, ~2 ms each, pause every request in flight). Warmed up as the app was by the
    // fleet's runs (the JIT: a cold path's p99 is about twice a warm one's).
    const { authorizeAction } = await import("../lib/domain/decisions/authorize-action");
    const authzInProcess = async () => {
      await authorizeAction(agent.id, {}, { action: "model:use", resource: "gpt-5", estimatedCostUsd: 0.01 });
      return true;
    };
    for (let i = 0; i < 3000; i++) await authzInProcess();
    const inProcessLat = await latencyOf(authzInProcess);
    await closeLeanPool();

    const c = new pg.Client({ connectionString: dbUrl });
    c.on("error", () => {});
    await c.connect();
    await c.query(`CREATE TABLE bench_copy (LIKE usage_events INCLUDING ALL)`);
    const events = Array.from({ length: batches }, (_, b) => mkBatch(0, b)).flat();
    // A row as COPY's text format has it; `prefix` makes its id and event id new (for COPY into usage_events itself).
    const copyLine = (e: (typeof events)[number], i: number, prefix = "") =>
      `${[
        `${prefix}copy-${i}`,
        agent.id,
        `${prefix}${e.id}`,
        e.timestamp,
        e.model,
        "openai",
        e.inputTokens,
        e.cachedInputTokens,
        e.outputTokens,
        3900,
        3900,
        "\\N",
        "\\N",
        "f",
        e.tool ?? "\\N",
        e.latencyMs,
        "ok",
        "\\N",
      ].join("\t")}\n`;
    const rows = events.map((e, i) => copyLine(e, i));
    const copyRound = async () => {
      await c.query("TRUNCATE bench_copy");
      const t0 = performance.now();
      await pipeline(
        Readable.from(rows),
        c.query(
          copyFrom(
            `COPY bench_copy ("id","agentId","eventId","timestamp","model","provider","inputTokens","cachedInputTokens","outputTokens","costMicros","computedCostMicros","reportedCostMicros","priceId","unpriced","tool","latencyMs","status","decisionId") FROM STDIN`,
          ),
        ),
      );
      return rows.length / ((performance.now() - t0) / 1000);
    };
    await copyRound();
    const copy = await samples(runs, copyRound);
    // COPY as ingestion has to write: the same batches of 500 into usage_events itself (its indexes, the rows
    // already there), each batch its own transaction committed, 4 connections at a time, as the 4 senders.
    const copyInBatches = async (sample: number) => {
      const lines = events.map((e, i) => copyLine(e, i, `copyb-${sample}-`));
      const t0 = performance.now();
      await Promise.all(
        [0, 1, 2, 3].map(async (w) => {
          const conn = await dbPool.connect();
          try {
            for (let b = w; b < batches; b += 4) {
              await conn.query("BEGIN");
              await pipeline(
                Readable.from(lines.slice(b * 500, (b + 1) * 500)),
                conn.query(
                  copyFrom(
                    `COPY usage_events ("id","agentId","eventId","timestamp","model","provider","inputTokens","cachedInputTokens","outputTokens","costMicros","computedCostMicros","reportedCostMicros","priceId","unpriced","tool","latencyMs","status","decisionId") FROM STDIN`,
                  ),
                ),
              );
              await conn.query("COMMIT");
            }
          } finally {
            conn.release();
          }
        }),
      );
      return rows.length / ((performance.now() - t0) / 1000);
    };
    await copyInBatches(-1);
    const copyBatched = await samples(runs, copyInBatches);
    // The database alone: the same rows into usage_events from the table the COPY filled, with what ingestion's
    // INSERT needs and COPY does not (ON CONFLICT on the event id, RETURNING the ids inserted), rolled back after each
    // sample. Ingestion cannot be faster than this.
    const inDatabase = await samples(runs, async (sample) => {
      await c.query("BEGIN");
      const t0 = performance.now();
      const r = await c.query(
        `INSERT INTO usage_events ("id","agentId","eventId","timestamp","model","provider","inputTokens","cachedInputTokens","outputTokens","costMicros","computedCostMicros","reportedCostMicros","priceId","unpriced","tool","latencyMs","status","decisionId")
         SELECT 'db-' || id, "agentId", 'db-${sample}-' || "eventId", "timestamp", model, provider, "inputTokens", "cachedInputTokens", "outputTokens", "costMicros", "computedCostMicros", "reportedCostMicros", "priceId", unpriced, tool, "latencyMs", status, "decisionId"
         FROM bench_copy ON CONFLICT ("agentId", "eventId") DO NOTHING RETURNING "eventId"`,
      );
      const perSecond = r.rowCount! / ((performance.now() - t0) / 1000);
      await c.query("ROLLBACK");
      if (r.rowCount !== rows.length) throw new Error(`${r.rowCount} of ${rows.length} rows inserted in the database`);
      return perSecond;
    });
    await c.end();
    await dbPool.end();
    await http.close();
    await consoleHttp.close();

    const ingestS = summarise(ingest);
    const directS = summarise(direct);
    const copyS = summarise(copy);
    const inDatabaseS = summarise(inDatabase);
    const copyBatchedS = summarise(copyBatched);
    console.log(
      `\nRuntime API on PostgreSQL (app pool of 10), the runtime's calls (and /api/v1/health) through the data plane, an admin's through the console. Each figure: the median of ${runs} samples (min–max). Latency: ${rate} req/s open loop, ${seconds} s per sample, counted from each request's scheduled time; saturation: ${connections} connections closed loop.\n`,
    );
    console.log("| path | ours | limit measured in this run | ratio |");
    console.log("| --- | --- | --- | --- |");
    console.log(
      row(
        "authorize with an estimate (3 budgets), p50",
        show(estimateLat.p50, 2, " ms"),
        "`SELECT 1` round trip p50",
        show(roundTrip.p50, 2, " ms"),
        ratio(estimateLat.p50.median, roundTrip.p50.median),
      ),
    );
    console.log(
      row(
        "authorize with an estimate (3 budgets), p99",
        show(estimateLat.p99, 2, " ms"),
        "`SELECT 1` round trip p99",
        show(roundTrip.p99, 2, " ms"),
        ratio(estimateLat.p99.median, roundTrip.p99.median),
      ),
    );
    console.log(
      pairRow(
        "authorize with an estimate (3 budgets), p50 / p99 (as above)",
        estimateLat,
        "a one-row INSERT committed durably (round trip and WAL flush) p50 / p99",
        durable,
      ),
    );
    console.log(
      row(
        "the same, p99 of the first 2 s after 15 s without a call",
        show(afterPause, 2, " ms"),
        "the same, p99 without a pause (as above)",
        show(estimateLat.p99, 2, " ms"),
        ratio(afterPause.median, estimateLat.p99.median),
      ),
    );
    console.log(
      pairRow(
        "the same authorize through its domain function in the bench's process (no HTTP, no Next), p50 / p99",
        inProcessLat,
        "`SELECT 1` round trip p50 / p99",
        roundTrip,
      ),
    );
    console.log(
      pairRow(
        "the same authorize through the console's process (Next's, no data plane), p50 / p99",
        consoleLat,
        "`SELECT 1` round trip p50 / p99",
        roundTrip,
      ),
    );
    console.log(
      row(
        "authorize without an estimate, p50 / p99",
        pair(plainLat),
        "`GET /api/v1/health` p50 / p99",
        pair(healthLat),
        ratio(plainLat.p50.median, healthLat.p50.median),
      ),
    );
    console.log(
      row(
        "authorize with an estimate, saturation",
        show(authzMax, 0, " req/s"),
        "`GET /api/v1/health` saturation (the data plane's)",
        show(healthMax, 0, " req/s"),
        percent(authzMax.median, healthMax.median),
      ),
    );
    console.log(
      row(
        "authorize with an estimate, saturation (as above)",
        show(authzMax, 0, " req/s"),
        "`GET /api/v1/health` saturation through the console's process",
        show(consoleHealthMax, 0, " req/s"),
        percent(authzMax.median, consoleHealthMax.median),
      ),
    );
    console.log(
      row(
        `authorize with an estimate, p99 at ${rate / 2} req/s while the console answers 10 audit-list reads/s (200 events each)`,
        show(planeBusy, 2, " ms"),
        "the same through the console's process",
        show(consoleBusy, 2, " ms"),
        ratio(planeBusy.median, consoleBusy.median),
      ),
    );
    console.log(
      row(
        "50 agents authorizing with an estimate, all under one organisation budget, saturation",
        show(fleetShared, 0, " req/s"),
        "the same 50 agents with no budget shared",
        show(fleetApart, 0, " req/s"),
        percent(fleetShared.median, fleetApart.median),
      ),
    );
    console.log(
      row(
        `authorize (another agent) p99 at ${rate / 2} req/s during a denial flood at ${floodRate} req/s`,
        show(flooded.others, 2, " ms"),
        "the same without the flood",
        show(quiet.others, 2, " ms"),
        ratio(flooded.others.median, quiet.others.median),
      ),
    );
    console.log(
      row(
        "an admin's change (PATCH agent) p99 at 5 req/s during the flood",
        show(flooded.admin, 2, " ms"),
        "the same without the flood",
        show(quiet.admin, 2, " ms"),
        ratio(flooded.admin.median, quiet.admin.median),
      ),
    );
    console.log(
      row(
        `usage ingestion, ${batches} batches of 500, 4 senders`,
        show(ingestS, 0, " events/s"),
        "`COPY` of the same rows",
        show(copyS, 0, " rows/s"),
        percent(ingestS.median, copyS.median),
      ),
    );
    console.log(
      row(
        "the same ingestion without HTTP (its domain function called in the bench's process, 4 at a time)",
        show(directS, 0, " events/s"),
        "`COPY` of the same rows",
        show(copyS, 0, " rows/s"),
        percent(directS.median, copyS.median),
      ),
    );
    console.log(
      row(
        "the same rows `INSERT … ON CONFLICT DO NOTHING RETURNING` inside the database (the event-id check)",
        show(inDatabaseS, 0, " rows/s"),
        "`COPY` of the same rows",
        show(copyS, 0, " rows/s"),
        percent(inDatabaseS.median, copyS.median),
      ),
    );
    console.log(
      row(
        `usage ingestion, ${batches} batches of 500, 4 senders (as above)`,
        show(ingestS, 0, " events/s"),
        "`COPY` of the same batches into `usage_events` itself, a transaction each, 4 connections",
        show(copyBatchedS, 0, " rows/s"),
        percent(ingestS.median, copyBatchedS.median),
      ),
    );
  } finally {
    await Promise.all([stopApp(app), stopApp(plane)]);
    // The app's pools in this process (the lean one too) close before the drop ends their connections.
    const { disconnectDb } = await import("../lib/db/client");
    await disconnectDb().catch(() => undefined);
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
