/**
 * Lineage queries (lib/domain/resources/lineage.ts) on PostgreSQL, in-process: BENCH_LINEAGE_DECISIONS (1,000,000)
 * decisions of 20 agents over 30 days, on 400 resource strings, for 5,000 people, on three versions. Timed: who touched
 * a catalogued resource (a glob matching a tenth of the calls) over the 30 days, what agents did for one person, and
 * the resources one agent touched. Beside them, the limit measured in the same run: one count over the same period's
 * decisions. Each the median of BENCH_RUNS samples (at least 3). Run by `npm run bench`.
 */
import { pgServer, scratchDatabase, sql } from "../scripts/harness";
import { percent, row, samples, show, summarise } from "./measure";
import "../scripts/outside-next"; // before the dynamic imports of lib/ below

const server = pgServer();
const total = Number(process.env.BENCH_LINEAGE_DECISIONS ?? 1_000_000);
const runs = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));

async function main() {
  const db = await scratchDatabase(server, "acp_bench_lineage");
  try {
    const { systemActor } = await import("../lib/domain/actor");
    const { createTeam } = await import("../lib/domain/teams/create-team");
    const { registerAgent } = await import("../lib/domain/agents/register-agent");
    const { createResource } = await import("../lib/domain/resources/catalogue");
    const { resourceLineage, subjectLineage, touchedResources } = await import("../lib/domain/resources/lineage");
    const { db: client, disconnectDb } = await import("../lib/db/client");
    const sys = systemActor("bench");
    const team = await createTeam(sys, {}, { slug: "bench", name: "Bench" });
    const agents: string[] = [];
    for (let i = 0; i < 20; i++)
      agents.push(
        (
          await registerAgent(
            sys,
            {},
            { slug: `agent-${i}`, name: `Agent ${i}`, teamId: team.id, environment: "dev", config: { model: "gpt-5" } },
          )
        ).id,
      );
    const customers = await createResource(
      sys,
      {},
      {
        name: "CRM customers",
        pattern: "crm.customers*",
        kind: "dataset",
        classification: "personal",
      },
    );

    let t0 = performance.now();
    const ids = `ARRAY[${agents.map((a) => `'${a}'`).join(",")}]`;
    for (let done = 0; done < total; done += 250_000) {
      const n = Math.min(250_000, total - done);
      await sql(
        db.url,
        `INSERT INTO decisions (id, "agentId", action, resource, decision, code, reason, "ruleId", "onBehalfOf",
           "versionNumber", "createdAt")
         SELECT gen_random_uuid()::text, (${ids})[1 + g % 20], 'data:read',
                CASE WHEN g % 10 = 0 THEN 'crm.customers/' || (g % 40) ELSE 'svc.' || (g % 360) END,
                CASE WHEN g % 17 = 0 THEN 'deny'::"DecisionOutcome" ELSE 'allow'::"DecisionOutcome" END,
                'allowed', 'bench', 'rule-' || (g % 3), 'person-' || (g * 7919 % 5000) || '@example.com', 1 + g % 3,
                now() - ((g * 104729) % 2590000000) * interval '1 millisecond'
         FROM generate_series(${done + 1}::bigint, ${done + n}::bigint) g`,
      );
    }
    await sql(db.url, "ANALYZE decisions");
    console.log(
      `[bench] ${total.toLocaleString("en-US")} decisions generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const range = () => ({ from: new Date(Date.now() - 30 * 86_400_000).toISOString(), to: new Date().toISOString() });
    const timed = (f: () => Promise<unknown>) => async () => {
      t0 = performance.now();
      await f();
      return performance.now() - t0;
    };
    const byResource = timed(async () => {
      const r = await resourceLineage(sys, customers.id, range());
      if (r.lineage.calls < total / 10 - 1) throw new Error(`counted ${r.lineage.calls}`);
    });
    const byPerson = timed(async () => {
      const r = await subjectLineage(sys, {}, { onBehalfOf: "person-42@example.com", ...range() });
      if (!r.lineage.calls) throw new Error("nobody");
    });
    const byAgent = timed(async () => {
      const r = await touchedResources(sys, agents[3], range());
      if (!r.items.length) throw new Error("nothing touched");
    });
    const scan = timed(
      () => client().$queryRaw`SELECT count(*) FROM decisions WHERE "createdAt" >= now() - interval '30 days'`,
    );
    await byResource(); // warm-up
    const floor = summarise(await samples(runs, scan));
    const results = [
      ["who touched a resource (a tenth of the calls), 30 days", summarise(await samples(runs, byResource))],
      ["what agents did for one person, 30 days", summarise(await samples(runs, byPerson))],
      ["the resources one agent touched, 30 days", summarise(await samples(runs, byAgent))],
    ] as const;
    await disconnectDb();
    console.log(
      `\nLineage: ${total.toLocaleString("en-US")} recorded decisions over 30 days (median of ${runs} samples, min–max; goal < 1 s)\n`,
    );
    console.log("| path | ours | limit measured in this run | ratio |");
    console.log("| --- | --- | --- | --- |");
    for (const [what, s] of results)
      console.log(
        row(
          `lineage: ${what}`,
          show(s, 0, " ms"),
          "one count over the period's decisions",
          show(floor, 0, " ms"),
          percent(floor.median, s.median),
        ),
      );
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
