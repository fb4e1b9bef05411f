/**
 * Spend analytics at scale (npm run bench): seeds BENCH_EVENTS usage events (default 10,000,000) over 90 days
 * for 50 agents in 5 teams into a fresh PostgreSQL database, builds the hourly rollups from them and the daily
 * ones (by setting the time zone, as an admin would), then prints
 *   - p50/p95 of the 30-day spend query (series by day and team, and the top-spenders table) read from rollups,
 *     beside one full scan of the raw events for the same 30 days;
 *   - p50/p95 of the spend page's server render (GET /spend, signed in) on the built app.
 * The events are generated inside PostgreSQL (INSERT … SELECT generate_series, in 1M-row chunks), not sent
 * through the API. Env: BENCH_PG_URL, BENCH_EVENTS, BENCH_RUNS (30). Timings are printed, never asserted.
 */
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
import "../scripts/outside-next"; // before the dynamic imports of lib/ below

const server = pgServer();
// A free port, and waitFor checks that the app this bench started is the one answering there.
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const total = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 30);
const DAY = 86_400_000;

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const line = (name: string, xs: number[]) =>
  `${name.padEnd(58)} p50 ${pct(xs, 50).toFixed(1).padStart(7)} ms   p95 ${pct(xs, 95).toFixed(1).padStart(7)} ms   (${xs.length} runs)`;

async function timed(n: number, fn: () => Promise<unknown>) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Signs in through next-auth's credentials flow and returns the session cookie header. */
async function signIn(email: string, password: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ email, password, csrfToken, json: "true" }),
  });
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .filter((c) => c.includes("session-token"));
  if (!session.length) throw new Error(`sign-in failed: ${res.status}`);
  return [...jar, ...session].join("; ");
}

async function main() {
  const db = await scratchDatabase(server, "acp_bench_spend");
  const dbUrl = db.url;
  let app: App | null = null;
  try {
    const { systemActor } = await import("../lib/domain/actor");
    const { createTeam } = await import("../lib/domain/teams/create-team");
    const { registerAgent } = await import("../lib/domain/agents/register-agent");
    const { spendBreakdown, spendSeries } = await import("../lib/domain/spend/queries");
    const { updateOrgSettings } = await import("../lib/domain/settings/update-org-settings");
    const { disconnectDb } = await import("../lib/db/client");
    const sys = systemActor("bench");
    for (let t = 0; t < 5; t++) {
      const team = await createTeam(sys, {}, { slug: `team-${t}`, name: `Team ${t}` });
      for (let a = 0; a < 10; a++)
        await registerAgent(
          sys,
          {},
          {
            slug: `agent-${t}-${a}`,
            name: `Agent ${t}.${a}`,
            teamId: team.id,
            environment: "prod",
            config: { model: "gpt-5" },
          },
        );
    }
    // A password set by an admin must be changed at first sign-in: seedPerson changes it, as a person would.
    await seedPerson("bench@acp.local", "admin", "bench-password-123");

    // 10M events, generated server-side: 90 days back from now, 50 agents, 6 models, some tools and errors.
    const now = Date.now();
    const chunk = 1_000_000;
    let t0 = performance.now();
    for (let done = 0; done < total; done += chunk) {
      const n = Math.min(chunk, total - done);
      await sql(
        dbUrl,
        `WITH a AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM agents)
         INSERT INTO usage_events (id, "agentId", "eventId", "timestamp", model, provider, "inputTokens", "cachedInputTokens", "outputTokens", "costMicros", "computedCostMicros", unpriced, tool, "latencyMs", status)
         SELECT 'ev' || g, a.id, 'e' || g, to_timestamp(${now / 1000} - ((g * 7919) % ${90 * 86400})) AT TIME ZONE 'UTC',
                (ARRAY['gpt-5','gpt-5-mini','claude-sonnet-4-5','claude-haiku-4-5','gemini-2.5-pro','llama-local'])[1 + g % 6], 'bench',
                800 + g % 4000, (g % 5) * 100, 100 + g % 900,
                CASE WHEN g % 6 = 5 THEN NULL ELSE 200 + (g % 5000) END, CASE WHEN g % 6 = 5 THEN NULL ELSE 200 + (g % 5000) END,
                g % 6 = 5, CASE WHEN g % 3 = 0 THEN 'github.search' WHEN g % 3 = 1 THEN NULL ELSE 'jira.create' END, 300 + g % 2000,
                CASE WHEN g % 50 = 0 THEN 'error' ELSE 'ok' END::"UsageStatus"
         FROM generate_series(${done + 1}::bigint, ${done + n}::bigint) g JOIN a ON a.i = g % 50`,
      );
      process.stdout.write(`\r[bench] ${(done + n).toLocaleString("en-US")} usage events inserted`);
    }
    const insertSecs = (performance.now() - t0) / 1000;
    t0 = performance.now();
    await sql(
      dbUrl,
      `INSERT INTO usage_rollups_hourly ("agentId", "teamId", hour, model, tool, calls, errors, "unpricedCalls", "inputTokens", "cachedInputTokens", "outputTokens", "costMicros")
       SELECT e."agentId", ag."teamId", date_trunc('hour', e."timestamp"), e.model, COALESCE(e.tool, ''), count(*), count(*) FILTER (WHERE e.status = 'error'),
              count(*) FILTER (WHERE e.unpriced), SUM(e."inputTokens"), SUM(e."cachedInputTokens"), SUM(e."outputTokens"), COALESCE(SUM(e."costMicros"), 0)
       FROM usage_events e JOIN agents ag ON ag.id = e."agentId" GROUP BY 1, 2, 3, 4, 5`,
    );
    const rollupSecs = (performance.now() - t0) / 1000;
    // The daily rollups as a time-zone change builds them (the organisation starts in UTC; this sets it to Paris),
    // timed: ingestion waits for it.
    t0 = performance.now();
    await updateOrgSettings(sys, {}, { timeZone: "Europe/Paris" });
    const rebuildSecs = (performance.now() - t0) / 1000;
    await sql(dbUrl, "ANALYZE");
    const rollups = Number((await sql(dbUrl, "SELECT count(*) FROM usage_rollups_hourly"))[0].count);
    const dailyRows = Number((await sql(dbUrl, "SELECT count(*) FROM usage_rollups_daily"))[0].count);
    console.log(
      `\n[bench] ${total.toLocaleString("en-US")} events in ${insertSecs.toFixed(0)} s (${Math.round(total / insertSecs).toLocaleString("en-US")}/s); ${rollups.toLocaleString("en-US")} hourly rollup rows built in ${rollupSecs.toFixed(0)} s; a time-zone change rebuilt ${dailyRows.toLocaleString("en-US")} daily rows in ${rebuildSecs.toFixed(1)} s`,
    );

    const to = new Date(Math.ceil(now / 3_600_000) * 3_600_000);
    const from = new Date(to.getTime() - 30 * DAY);
    const admin = { type: "user" as const, id: "bench", label: "bench", role: "admin" as const, teamIds: [] };
    await spendSeries(admin, { from, to, bucket: "day", groupBy: "team" }); // warm
    const series = await timed(runs, () => spendSeries(admin, { from, to, bucket: "day", groupBy: "team" }));
    const byAgentHour = await timed(runs, () =>
      spendSeries(admin, { from: new Date(to.getTime() - 7 * DAY), to, bucket: "hour", groupBy: "agent" }),
    );
    const table = await timed(runs, () => spendBreakdown(admin, { from, to, groupBy: "agent" }));
    t0 = performance.now();
    await sql(
      dbUrl,
      `SELECT SUM("costMicros"), count(*) FROM usage_events WHERE "timestamp" >= '${from.toISOString()}' AND "timestamp" < '${to.toISOString()}'`,
    );
    const rawScan = performance.now() - t0;
    await disconnectDb();

    console.log(
      `\nSpend queries on ${total.toLocaleString("en-US")} events (${rollups.toLocaleString("en-US")} hourly and ${dailyRows.toLocaleString("en-US")} daily rollups):`,
    );
    console.log(line("30-day series, by day, stacked by team", series));
    console.log(line("7-day series, by hour, stacked by agent", byAgentHour));
    console.log(line("30-day top spenders by agent (+ previous 30 days)", table));
    console.log(
      `${"for comparison: one SUM over the raw events, same 30 days".padEnd(58)} ${rawScan.toFixed(0).padStart(7)} ms`,
    );

    app = startBuiltApp(dbUrl, port, { WEBHOOK_DISPATCH: "off" });
    await waitFor(`${base}/api/v1/health`, app);
    const cookie = await signIn("bench@acp.local", "bench-password-123");
    const page = async () => {
      const res = await fetch(`${base}/spend?range=30d&bucket=day&groupBy=team`, { headers: { cookie } });
      const html = await res.text();
      if (res.status !== 200 || !html.includes("Spend per day"))
        throw new Error(`spend page: ${res.status} ${/<title>([^<]*)/.exec(html)?.[1]} ${html.length} bytes`);
    };
    await page();
    await page();
    const render = await timed(runs, page);
    console.log(line("GET /spend (server render incl. series, table, budget burn)", render));
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
