/**
 * The app past one machine (run by npm test when postgresql and haproxy are installed): three instances behind
 * HAProxy on a PostgreSQL primary with a streaming replica (scripts/cluster.ts), every request through the balancer.
 * 1. Round robin: the balancer spreads requests over all three instances. The runtime's hot routes go to the data
 *    planes (scripts/serve.mjs --data-plane), everything else to the consoles; a data plane serves nothing else.
 * 2. Budgets exact across instances: 40 concurrent authorizes at $0.50 against a $10 budget → exactly 20 allowed.
 * 3. Rate limits shared: an agent key limited to 40 a minute gets exactly 40 answers and then 429s, whichever
 *    instance answers.
 * 4. Webhooks once: 30 test events, a receiver that fails every other delivery's first attempt; the pollers of
 *    three instances retry → each delivery succeeds exactly once, failed ones are tried exactly twice.
 * 5. Reads on the replica, correct under lag: spend and audit reads are served by the replica (its statement log);
 *    with the replica's replay paused, new usage and an admin's change are in the next reads (the primary answers,
 *    the replica none); resumed, the replica serves spend, the audit trail and an audit export (COPY) again.
 * 6. With every data plane down, the consoles answer the runtime's calls.
 * Exit 0 when all holds.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { type Cluster, clusterMissing, startCluster } from "./cluster";
import { freePort, seedPerson, sql, stopApp } from "./harness";
import "./outside-next"; // before the dynamic imports of lib/ below

const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

async function main() {
  const missing = clusterMissing();
  if (missing.length) {
    console.error(`The cluster test needs ${missing.join(" and ")}.`);
    return 1;
  }
  // A webhook receiver on loopback that answers 500 to the first attempt of every other delivery.
  const received = new Map<string, number[]>();
  let n = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const id = String(req.headers["x-acp-delivery"] ?? "");
      const seen = received.get(id) ?? [];
      const status = seen.length === 0 && n++ % 2 === 1 ? 500 : 204;
      received.set(id, [...seen, status]);
      res.writeHead(status).end();
    });
  });
  const hookPort = await freePort();
  await new Promise<void>((r) => receiver.listen(hookPort, "127.0.0.1", r));
  process.env.WEBHOOK_ALLOW_PRIVATE = "1";

  let cluster: Cluster | null = null;
  // The instances' warnings and errors, shown when something fails.
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "acp-cluster-log-")), "server.jsonl");
  const ids: Record<string, string> = {};
  try {
    cluster = await startCluster({
      logReplicaStatements: true,
      env: {
        WEBHOOK_ALLOW_PRIVATE: "1",
        WEBHOOK_POLL_MS: "200",
        WEBHOOK_BACKOFF_BASE_MS: "300",
        RATE_LIMIT_AGENT_KEY_PER_MINUTE: "40",
        LOG_FILE: logFile,
      },
      prepare: async () => {
        const { systemActor } = await import("../lib/domain/actor");
        const { createTeam } = await import("../lib/domain/teams/create-team");
        const { registerAgent } = await import("../lib/domain/agents/register-agent");
        const { addPermissionRule } = await import("../lib/domain/permissions/add-permission-rule");
        const { createBudget } = await import("../lib/domain/budgets/create-budget");
        const { createAgentKey } = await import("../lib/domain/keys/create-agent-key");
        const { createWebhookEndpoint } = await import("../lib/domain/webhooks/create-webhook-endpoint");
        const { disconnectDb } = await import("../lib/db/client");
        const sys = systemActor("cluster-test");
        const team = await createTeam(sys, {}, { slug: "cluster", name: "Cluster" });
        const agent = (slug: string) =>
          registerAgent(sys, {}, { slug, name: slug, teamId: team.id, environment: "dev", config: { model: "m" } });
        const spender = await agent("spender");
        await addPermissionRule(sys, {}, spender.id, { effect: "allow", action: "model:use", resource: "m" });
        await createBudget(
          sys,
          {},
          { name: "ten", scope: "agent", agentId: spender.id, period: "month", limitUsd: 10, hardAction: "block" },
        );
        ids.spender = spender.id;
        ids.spenderKey = (await createAgentKey(sys, {}, spender.id, { name: "k" })).token;
        const limited = await agent("limited");
        ids.limitedKey = (await createAgentKey(sys, {}, limited.id, { name: "k" })).token;
        const reporter = await agent("reporter");
        ids.reporter = reporter.id;
        ids.reporterKey = (await createAgentKey(sys, {}, reporter.id, { name: "k" })).token;
        ids.pat = (await seedPerson("ops@acp.local", "admin")).token;
        ids.hook = (
          await createWebhookEndpoint(sys, {}, { name: "receiver", url: `http://127.0.0.1:${hookPort}/hook` })
        ).id;
        await disconnectDb();
      },
    });
    const { base, apps, dataPlanes } = cluster;
    const instanceOf = (res: Response) => apps.findIndex((a) => a.instance === res.headers.get("x-acp-instance"));
    const planeOf = (res: Response) => dataPlanes.findIndex((a) => a.instance === res.headers.get("x-acp-instance"));
    const post = (path: string, token: string, body?: unknown) =>
      fetch(`${base}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const get = (path: string) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${ids.pat}` } });

    // 1. Round robin.
    const served = new Set<number>();
    for (let i = 0; i < 9; i++) served.add(instanceOf(await fetch(`${base}/api/v1/health`)));
    check(served.size === 3 && !served.has(-1), `the balancer spreads requests over 3 instances (saw ${served.size})`);
    const config = await fetch(`${base}/api/v1/runtime/config`, {
      headers: { authorization: `Bearer ${ids.reporterKey}` },
    });
    await config.arrayBuffer();
    check(
      config.ok && instanceOf(config) >= 0,
      `the runtime's reads are the consoles' (GET /runtime/config: ${config.status}, console ${instanceOf(config)})`,
    );
    // A malformed body reaching a data plane: a clear 4xx from it, nothing written.
    const malformed = await fetch(`${base}/api/v1/runtime/authorize`, {
      method: "POST",
      headers: { authorization: `Bearer ${ids.reporterKey}`, "content-type": "application/json" },
      body: '{"action": "tool:invoke", "resource": ',
    });
    const malformedBody = (await malformed.json()) as { error?: { code?: string } };
    check(
      malformed.status === 422 && malformedBody.error?.code === "invalid_json" && planeOf(malformed) >= 0,
      `a data plane answers a malformed body with 422 invalid_json (${malformed.status} ${malformedBody.error?.code})`,
    );
    const direct = await fetch(`${dataPlanes[0].base}/api/v1/agents`, {
      headers: { authorization: `Bearer ${ids.pat}` },
    });
    const directBody = (await direct.json()) as { error?: { code?: string } };
    check(
      direct.status === 404 && directBody.error?.code === "not_found",
      `a data plane serves nothing but the runtime's hot routes (GET /api/v1/agents there: ${direct.status})`,
    );

    // 2. One budget, three instances.
    const answers = await Promise.all(
      Array.from({ length: 40 }, () =>
        post("/api/v1/runtime/authorize", ids.spenderKey, {
          action: "model:use",
          resource: "m",
          estimatedCostUsd: 0.5,
        }).then(async (res) => ({
          status: res.status,
          at: planeOf(res),
          body: (await res.json()) as { decision?: string },
        })),
      ),
    );
    const allowed = answers.filter((a) => a.body.decision === "allow").length;
    const exhausted = answers.filter((a) => a.body.decision === "deny").length;
    check(
      allowed === 20 && exhausted === 20,
      `a $10 budget admits exactly 20 of 40 concurrent $0.50 calls across instances (allowed ${allowed}, denied ${exhausted}, statuses ${[...new Set(answers.map((a) => a.status))]})`,
    );
    check(
      new Set(answers.map((a) => a.at)).size === 3 && answers.every((a) => a.at >= 0),
      "those calls were answered by all 3 data planes",
    );
    const [{ reserved }] = await sql<{ reserved: string }>(
      cluster.dbUrl,
      `SELECT COALESCE(SUM(p."reservedMicros"), 0)::text AS reserved FROM budget_period_usage p JOIN budgets b ON b.id = p."budgetId" WHERE b."agentId" = $1`,
      [ids.spender],
    );
    check(reserved === "10000000", `the budget holds exactly $10 in reservations (${reserved} micros)`);

    // 3. One rate limit, three instances. The window is a calendar minute: start well inside one.
    if (new Date().getSeconds() > 40) await new Promise((r) => setTimeout(r, (61 - new Date().getSeconds()) * 1000));
    const limited = await Promise.all(
      Array.from({ length: 55 }, () =>
        post("/api/v1/runtime/authorize", ids.limitedKey, { action: "tool:invoke", resource: "x" }).then((res) => ({
          status: res.status,
          at: planeOf(res),
        })),
      ),
    );
    const throttled = limited.filter((r) => r.status === 429).length;
    check(
      throttled === 15 && limited.length - throttled === 40,
      `a key limited to 40 a minute gets 40 answers and 15 × 429 across instances (got ${throttled} × 429)`,
    );
    check(
      new Set(limited.map((r) => r.at)).size === 3 && limited.every((r) => r.at >= 0),
      "those calls were answered by all 3 data planes",
    );

    // 4. Webhooks: each delivered once, whichever instance's poller retries.
    const sent = await Promise.all(
      Array.from({ length: 30 }, () => post(`/api/v1/webhooks/${ids.hook}/test`, ids.pat).then((r) => r.status)),
    );
    check(
      sent.every((s) => s >= 200 && s < 300),
      `30 test events queued through the balancer (${[...new Set(sent)]})`,
    );
    const deadline = Date.now() + 30_000;
    const settled = () => [...received.values()].filter((s) => s.at(-1) === 204).length;
    while (settled() < 30 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 2000)); // room for a duplicate to show up
    const attempts = [...received.values()];
    const twice = attempts.filter((s) => s.join() === "500,204").length;
    const once = attempts.filter((s) => s.join() === "204").length;
    const requests = attempts.reduce((n, s) => n + s.length, 0);
    check(
      received.size === 30 && once + twice === 30 && twice === 15 && requests === 45,
      `30 deliveries, each succeeded exactly once (${once} at the first attempt, ${twice} after one retry; ${received.size} ids, ${requests} requests)`,
    );
    const [{ pending }] = await sql<{ pending: string }>(
      cluster.dbUrl,
      `SELECT count(*) FILTER (WHERE status <> 'succeeded')::text AS pending FROM webhook_deliveries`,
    );
    check(pending === "0", `every delivery is recorded as succeeded (${pending} not)`);

    // 5. Reads: from the replica when it has caught up; correct while it lags.
    const replicaReads = () => (fs.readFileSync(cluster!.pg.replicaLog, "utf8").match(/usage_rollups/g) ?? []).length;
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const spendPath = `/api/v1/spend?from=${from}&to=${to}&bucket=hour&agentId=${ids.reporter}`;
    const spent = async () => {
      const res = await get(spendPath);
      const body = (await res.json()) as { totals?: { calls?: number; costUsd?: number } };
      if (!res.ok) throw new Error(`GET /api/v1/spend: ${res.status} ${JSON.stringify(body)}`);
      return body.totals?.calls ?? -1;
    };
    const report = async (id: string) => {
      const res = await post("/api/v1/runtime/usage", ids.reporterKey, {
        events: [
          { id, timestamp: new Date().toISOString(), model: "m", inputTokens: 10, outputTokens: 1, costUsd: 0.01 },
        ],
      });
      if (!res.ok) throw new Error(`usage: ${res.status} ${await res.text()}`);
    };
    const auditReads = () => (fs.readFileSync(cluster!.pg.replicaLog, "utf8").match(/audit_events/g) ?? []).length;
    const latestAudit = async () => {
      const res = await get(`/api/v1/audit/events?targetId=${ids.reporter}&limit=5`);
      const body = (await res.json()) as { items?: { action: string }[] };
      if (!res.ok) throw new Error(`GET /api/v1/audit/events: ${res.status} ${JSON.stringify(body)}`);
      return body.items?.[0]?.action;
    };
    /** Reads until the replica serves one (it may be set aside for a moment after lagging); the last answer. */
    const fromReplica = async <T>(read: () => Promise<T>, count: () => number) => {
      const before = count();
      const end = Date.now() + 15_000;
      let last = await read();
      while (count() === before && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        last = await read();
      }
      return { last, served: count() > before };
    };
    await report("u1");
    const first = await fromReplica(spent, replicaReads);
    check(
      first.last === 1 && first.served,
      `the replica serves spend, with the usage just reported (${first.last} calls)`,
    );
    const replica = `${cluster.readUrl}`;
    await sql(replica, "SELECT pg_wal_replay_pause()");
    try {
      const [{ state }] = await sql<{ state: string }>(replica, "SELECT pg_get_wal_replay_pause_state() AS state");
      check(state === "paused", `the replica's replay is paused (${state})`);
      await report("u2");
      const [spendBefore, auditBefore] = [replicaReads(), auditReads()];
      const calls = await spent();
      check(calls === 2, `with the replay paused, spend still shows the new usage (${calls} calls)`);
      const change = await fetch(`${base}/api/v1/agents/${ids.reporter}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${ids.pat}`, "content-type": "application/json" },
        body: JSON.stringify({ description: "changed while the replica lags" }),
      });
      check(change.ok, `an admin's change is accepted while the replica lags (${change.status})`);
      const newest = await latestAudit();
      check(newest === "agent.updated", `the audit trail shows it at once (newest: ${newest})`);
      check(
        replicaReads() === spendBefore && auditReads() === auditBefore,
        "the lagging replica served none of those reads (the primary did)",
      );
    } finally {
      await sql(replica, "SELECT pg_wal_replay_resume()");
    }
    const resumed = await fromReplica(spent, replicaReads);
    check(resumed.last === 2 && resumed.served, "replay resumed: the replica serves spend again, with both events");
    const audit = await fromReplica(latestAudit, auditReads);
    check(audit.last === "agent.updated" && audit.served, "and the audit trail, with the change");
    const copies = () => (fs.readFileSync(cluster!.pg.replicaLog, "utf8").match(/COPY \(/g) ?? []).length;
    const exportAudit = async () => {
      const res = await get("/api/v1/audit/export?format=ndjson");
      const records = (await res.text())
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { record?: string; count?: number });
      const trailer = records.at(-1) ?? {};
      // Besides the events: a header, the signed checkpoints (if one was signed yet) and the trailer.
      const events = records.filter((r) => !r.record).length;
      return res.ok && trailer.record === "trailer" && trailer.count === events ? events : -1;
    };
    const exported = await fromReplica(exportAudit, copies);
    check(
      exported.last > 0 && exported.served,
      `an audit export streams from the replica, whole (${exported.last} events, COPY on the replica: ${exported.served})`,
    );

    // 6. Every data plane down: the consoles answer the runtime's calls (the balancer's backup servers), once the
    // balancer's health checks have seen the data planes go (a moment of 503s until then).
    await Promise.all(dataPlanes.map((p) => stopApp(p)));
    let fallback: { status: number; at: number } | null = null;
    for (const end = Date.now() + 20_000; !fallback && Date.now() < end; ) {
      const res = await post("/api/v1/runtime/authorize", ids.reporterKey, { action: "tool:invoke", resource: "x" });
      await res.arrayBuffer();
      if (res.status !== 503) fallback = { status: res.status, at: instanceOf(res) };
      else await new Promise((r) => setTimeout(r, 250));
    }
    check(
      fallback?.status === 200 && fallback.at >= 0,
      `with every data plane down, a console answers the runtime's calls (${fallback?.status ?? 503}, console ${fallback?.at})`,
    );
  } catch (e) {
    failures.push(String(e instanceof Error ? (e.stack ?? e.message) : e));
    console.error(e);
  } finally {
    await cluster?.stop();
    receiver.close();
    if (failures.length && fs.existsSync(logFile))
      console.log(`\nserver log (warnings and errors):\n${fs.readFileSync(logFile, "utf8").slice(-8000)}`);
    fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
  }
  console.log(failures.length ? `\ncluster test FAILED:\n${failures.join("\n")}` : "\ncluster test passed");
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
