/**
 * The cost of replaying a draft rule change against recorded decisions (lib/domain/permissions/replay.ts), on
 * PostgreSQL, in-process: BENCH_REPLAY_DECISIONS (1,000,000) decisions of one agent over 7 days, 30 % with usage
 * linked to them (generated inside PostgreSQL), replayed through three drafts: a deny rule added (no condition), a cost
 * limit raised (estimates matter) and a time window moved to another time zone (the minute matters). Beside each, the
 * limit measured in the same run: one scan grouping the same decisions by action and resource, with nothing judged.
 * Then a budget drafted for the agent (lib/domain/budgets/replay.ts), beside one ordered scan of the same rows.
 * Each the median of BENCH_RUNS samples (at least 3), and the process's peak RSS. Run by `npm run bench`.
 */
import { pgServer, scratchDatabase, sql } from "../scripts/harness";
import { percent, row, samples, show, summarise } from "./measure";
import "../scripts/outside-next"; // before the dynamic imports of lib/ below

const server = pgServer();
const total = Number(process.env.BENCH_REPLAY_DECISIONS ?? 1_000_000);
const runs = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));

async function main() {
  const db = await scratchDatabase(server, "acp_bench_replay");
  try {
    const { systemActor } = await import("../lib/domain/actor");
    const { createTeam } = await import("../lib/domain/teams/create-team");
    const { registerAgent } = await import("../lib/domain/agents/register-agent");
    const { addPermissionRule } = await import("../lib/domain/permissions/add-permission-rule");
    const { replayRuleChange } = await import("../lib/domain/permissions/replay");
    const { replayBudgetChange } = await import("../lib/domain/budgets/replay");
    const { db: client, disconnectDb } = await import("../lib/db/client");
    const sys = systemActor("bench");
    const admin = { type: "user" as const, id: "bench", label: "bench", role: "admin" as const, teamIds: [] };
    const team = await createTeam(sys, {}, { slug: "bench", name: "Bench" });
    const agent = await registerAgent(
      sys,
      {},
      { slug: "replayed", name: "Replayed", teamId: team.id, environment: "dev", config: { model: "gpt-5" } },
    );
    const rule = (r: object) => addPermissionRule(admin, {}, agent.id, r);
    await rule({ effect: "allow", action: "tool:invoke", resource: "github.*" });
    const cheap = await rule({ effect: "allow", action: "model:use", resource: "*", maxCostPerCallUsd: 0.05 });
    const crm = await rule({
      effect: "allow",
      action: "data:read",
      resource: "crm.*",
      allowedHours: { from: "08:00", to: "18:00", timeZone: "Europe/Paris", days: [1, 2, 3, 4, 5] },
    });

    let t0 = performance.now();
    for (let done = 0; done < total; done += 250_000) {
      const n = Math.min(250_000, total - done);
      await sql(
        db.url,
        `INSERT INTO decisions (id, "agentId", action, resource, decision, code, reason, "estimatedMicros", "createdAt")
         SELECT gen_random_uuid()::text, '${agent.id}',
                (ARRAY['tool:invoke','model:use','data:read','tool:invoke'])[1 + g % 4],
                CASE g % 4 WHEN 0 THEN 'github.repo_' || (g % 40) WHEN 1 THEN 'gpt-5' WHEN 2 THEN 'crm.table_' || (g % 12) ELSE 'slack.post' END,
                'allow', 'allowed', 'bench', CASE WHEN g % 5 = 0 THEN NULL ELSE (g * 7919) % 100000 END,
                now() - ((g * 104729) % 590000000) * interval '1 millisecond'
         FROM generate_series(${done + 1}::bigint, ${done + n}::bigint) g`,
      );
    }
    await sql(
      db.url,
      `INSERT INTO usage_events (id, "agentId", "eventId", "timestamp", model, "inputTokens", "outputTokens", "costMicros", "decisionId")
       SELECT gen_random_uuid()::text, "agentId", id, "createdAt", 'gpt-5', 100, 10, 1 + abs(hashtext(id)) % 20000, id
       FROM decisions WHERE abs(hashtext(id)) % 10 < 3`,
    );
    await sql(db.url, "ANALYZE decisions; ANALYZE usage_events");
    console.log(
      `[bench] ${total.toLocaleString("en-US")} decisions generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const replay = (change: object) => async () => {
      t0 = performance.now();
      const r = await replayRuleChange(admin, agent.id, { change });
      if (r.decisions !== total) throw new Error(`replayed ${r.decisions} of ${total}`);
      return performance.now() - t0;
    };
    const scan = async () => {
      t0 = performance.now();
      await client().$queryRaw`SELECT action, resource, count(*) FROM decisions
        WHERE "agentId" = ${agent.id} AND "createdAt" >= now() - interval '7 days' GROUP BY 1, 2`;
      return performance.now() - t0;
    };
    const deny = { op: "add", rule: { effect: "deny", action: "tool:invoke", resource: "github.repo_1*" } };
    const raised = {
      op: "update",
      ruleId: cheap.id,
      rule: { effect: "allow", action: "model:use", resource: "*", maxCostPerCallUsd: 0.08 },
    };
    const moved = {
      op: "update",
      ruleId: crm.id,
      rule: {
        effect: "allow",
        action: "data:read",
        resource: "crm.*",
        allowedHours: { from: "08:00", to: "18:00", timeZone: "America/New_York" },
      },
    };
    // A budget drafted for the agent: every call judged in time order against its replayed spend.
    const budget = async () => {
      t0 = performance.now();
      const r = await replayBudgetChange(admin, {
        change: {
          op: "create",
          budget: { name: "b", scope: "agent", agentId: agent.id, period: "day", limitUsd: 500 },
        },
      });
      if (r.decisions !== total) throw new Error(`replayed ${r.decisions} of ${total}`);
      return performance.now() - t0;
    };
    const ordered = async () => {
      t0 = performance.now();
      await client().$queryRaw`SELECT count(*) FROM (
          SELECT "createdAt" AS at, id FROM decisions WHERE "agentId" = ${agent.id} AND "createdAt" >= now() - interval '8 days'
          UNION ALL
          SELECT "timestamp", id FROM usage_events WHERE "agentId" = ${agent.id} AND "timestamp" >= now() - interval '8 days'
          ORDER BY 1, 2) s`;
      return performance.now() - t0;
    };
    await replay(deny)(); // warm-up
    const floor = summarise(await samples(runs, scan));
    const results = [
      ["a deny rule added", summarise(await samples(runs, replay(deny)))],
      ["a cost limit raised", summarise(await samples(runs, replay(raised)))],
      ["a time window moved to another zone", summarise(await samples(runs, replay(moved)))],
    ] as const;
    const orderedFloor = summarise(await samples(runs, ordered));
    const budgetReplay = summarise(await samples(runs, budget));
    const rss = process.resourceUsage().maxRSS / 1024;
    await disconnectDb();
    console.log(
      `\nRule replay: ${total.toLocaleString("en-US")} recorded decisions over 7 days (median of ${runs} samples, min–max)\n`,
    );
    console.log("| path | ours | limit measured in this run | ratio |");
    console.log("| --- | --- | --- | --- |");
    for (const [what, s] of results)
      console.log(
        row(
          `replay: ${what}`,
          show(s, 0, " ms"),
          "one grouping scan of the same decisions",
          show(floor, 0, " ms"),
          percent(floor.median, s.median),
        ),
      );
    console.log(
      row(
        "budget replay: a daily budget drafted (every call and usage event in time order)",
        show(budgetReplay, 0, " ms"),
        "one ordered scan of the same calls and usage",
        show(orderedFloor, 0, " ms"),
        percent(orderedFloor.median, budgetReplay.median),
      ),
    );
    console.log(`| bench process peak RSS | ${rss.toFixed(0)} MiB | — | — |`);
  } finally {
    if (!process.env.BENCH_KEEP_DB) await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
