/**
 * npm run bench: runtime API figures on PostgreSQL. Starts the built app against a fresh database and prints
 *   - authorize latency p50/p99 at a fixed concurrency (with an estimate to reserve, and without), beside
 *     GET /api/v1/health (a bare SELECT 1 through the same Prisma pool and HTTP stack), in the same run;
 *   - usage ingestion events/s for batches of 500 through the API, beside a raw COPY of the same rows.
 * Env: BENCH_PG_URL (server, default postgresql://postgres@127.0.0.1:5432/postgres), BENCH_CONNECTIONS (20),
 * BENCH_SECONDS (10), BENCH_BATCHES (40). Timings are printed, never asserted.
 */
import type { ChildProcess } from "node:child_process";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import autocannon from "autocannon";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pgServer, scratchDatabase, startBuiltApp, stopApp, waitFor } from "../scripts/harness";
import "../scripts/outside-next"; // before the dynamic imports of lib/ below

const server = pgServer();
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const batches = Number(process.env.BENCH_BATCHES ?? 40);
const port = 3200;
const base = `http://127.0.0.1:${port}`;

function load(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (err, res) => (err ? reject(err) : resolve(res))));
}

async function main() {
  const db = await scratchDatabase(server, "acp_bench");
  const dbUrl = db.url;
  let app: ChildProcess | null = null;
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
    await createBudget(
      sys,
      {},
      { name: "org month", scope: "org", period: "month", limitUsd: 9_000_000, hardAction: "notify" },
    );
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
    await disconnectDb();

    app = startBuiltApp(dbUrl, port, { DATABASE_POOL_SIZE: "10", WEBHOOK_DISPATCH: "off" });
    await waitFor(`${base}/api/v1/health`);
    const auth = { Authorization: `Bearer ${key.token}`, "content-type": "application/json" };

    // Warm up both paths, then measure them back to back at the same concurrency.
    await load({ url: `${base}/api/v1/health`, connections, duration: 2 });
    await load({
      url: `${base}/api/v1/runtime/authorize`,
      method: "POST",
      headers: auth,
      body: JSON.stringify({ action: "tool:invoke", resource: "github.search" }),
      connections,
      duration: 2,
    });
    const floor = await load({ url: `${base}/api/v1/health`, connections, duration: seconds });
    const authz = await load({
      url: `${base}/api/v1/runtime/authorize`,
      method: "POST",
      headers: auth,
      body: JSON.stringify({ action: "model:use", resource: "gpt-5", estimatedCostUsd: 0.01 }),
      connections,
      duration: seconds,
    });
    const authzNoEstimate = await load({
      url: `${base}/api/v1/runtime/authorize`,
      method: "POST",
      headers: auth,
      body: JSON.stringify({ action: "tool:invoke", resource: "github.search" }),
      connections,
      duration: seconds,
    });
    const line = (name: string, r: autocannon.Result) =>
      `${name.padEnd(44)} p50 ${String(r.latency.p50).padStart(5)} ms   p99 ${String(r.latency.p99).padStart(5)} ms   ${Math.round(r.requests.average)} req/s   non-2xx ${r.non2xx}`;
    console.log(`\nLatency at ${connections} concurrent connections, ${seconds} s each (PostgreSQL, pool of 10):`);
    console.log(line("GET /api/v1/health (SELECT 1, same pool)", floor));
    console.log(line("POST /api/v1/runtime/authorize (3 budgets)", authz));
    console.log(line("  … without an estimate (nothing to reserve)", authzNoEstimate));

    // Usage ingestion: batches of 500 through the API, then the same rows by COPY into a scratch table.
    const now = Date.now();
    const mkBatch = (b: number) =>
      Array.from({ length: 500 }, (_, i) => ({
        id: `bench-${b}-${i}`,
        timestamp: new Date(now - (b * 500 + i) * 1000).toISOString(),
        model: "gpt-5",
        inputTokens: 1200 + i,
        cachedInputTokens: 200,
        outputTokens: 300,
        tool: i % 3 ? "github.search" : undefined,
        latencyMs: 800,
      }));
    const all = Array.from({ length: batches }, (_, b) => mkBatch(b));
    let t0 = performance.now();
    const sent = await Promise.all(
      [0, 1, 2, 3].map(async (w) => {
        let n = 0;
        for (let b = w; b < batches; b += 4) {
          const r = await fetch(`${base}/api/v1/runtime/usage`, {
            method: "POST",
            headers: auth,
            body: JSON.stringify({ events: all[b] }),
          });
          if (!r.ok) throw new Error(`usage batch failed: ${r.status} ${await r.text()}`);
          n += (await r.json()).accepted;
        }
        return n;
      }),
    );
    const apiSecs = (performance.now() - t0) / 1000;
    const accepted = sent.reduce((a, b) => a + b, 0);

    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    await c.query(`CREATE TABLE bench_copy (LIKE usage_events INCLUDING ALL)`);
    const rows = all
      .flat()
      .map(
        (e, i) =>
          `${[
            `copy-${i}`,
            agent.id,
            e.id,
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
          ].join("\t")}\n`,
      );
    t0 = performance.now();
    await pipeline(
      Readable.from(rows),
      c.query(
        copyFrom(
          `COPY bench_copy ("id","agentId","eventId","timestamp","model","provider","inputTokens","cachedInputTokens","outputTokens","costMicros","computedCostMicros","reportedCostMicros","priceId","unpriced","tool","latencyMs","status","decisionId") FROM STDIN`,
        ),
      ),
    );
    const copySecs = (performance.now() - t0) / 1000;
    await c.end();
    console.log(`\nUsage ingestion, ${batches} batches of 500 events (${accepted} accepted), 4 concurrent senders:`);
    console.log(
      `${"POST /api/v1/runtime/usage".padEnd(44)} ${Math.round(accepted / apiSecs)
        .toLocaleString("en-US")
        .padStart(8)} events/s  (${apiSecs.toFixed(2)} s; priced, deduplicated, rollups + budgets updated)`,
    );
    console.log(
      `${"raw COPY of the same rows".padEnd(44)} ${Math.round(rows.length / copySecs)
        .toLocaleString("en-US")
        .padStart(
          8,
        )} events/s  (${copySecs.toFixed(2)} s; same table shape and indexes; no pricing, rollups or budgets)`,
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
