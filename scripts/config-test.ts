/**
 * Configuration as code, end to end: the `acp` CLI (`npx acp`, the package's bin) run from a temporary folder
 * against the built app on its own PostgreSQL database seeded with the demo organisation (the configuration is the
 * whole installation's, so it cannot share the Playwright server with tests that create objects alongside). Export the
 * demo organisation, edit the YAML (add a rule, change a budget, deploy a new config to prod), plan shows exactly
 * those changes (exit 2), apply makes them (the prod deployment waits for four-eyes), a second plan shows none
 * (exit 0), a console edit shows up as drift; then new objects, a stale reviewed plan refused, an auditor's token,
 * a bad document, no token, and the audit trail.
 * Env: CONFIG_PG_URL (server; default TEST_PG_URL or 127.0.0.1:5432). Exit 0 when all holds.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { type App, freePort, pgServer, scratchDatabase, seedPerson, startBuiltApp, stopApp, waitFor } from "./harness";
import "./outside-next"; // before the dynamic imports of lib/ below

const server = process.env.CONFIG_PG_URL ?? pgServer();
const failures: string[] = [];
const check = (ok: boolean, what: string, detail?: unknown) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(`${what}${detail === undefined ? "" : `: ${JSON.stringify(detail).slice(0, 2000)}`}`);
};

async function main() {
  const db = await scratchDatabase(server, "acp_config");
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acp-config-"));
  const repo = process.cwd();
  let app: App | null = null;
  try {
    const { seedDemo } = await import("../prisma/seed");
    await seedDemo({ days: 1 });
    const admin = await seedPerson("admin@config.test", "admin");
    const auditor = await seedPerson("auditor@config.test", "auditor");
    const { disconnectDb } = await import("../lib/db/client");
    await disconnectDb();
    app = startBuiltApp(db.url, port, { WEBHOOK_DISPATCH: "off", LOG_LEVEL: "warn" });
    await waitFor(`${base}/api/ready`, app);

    // `npx acp` from a folder outside the project, as a pipeline would call an installed CLI.
    const acp = (args: string[], token = admin.token) => {
      const r = spawnSync("npx", ["--prefix", repo, "--no-install", "acp", ...args], {
        cwd: dir,
        env: { ...process.env, ACP_URL: base, ACP_TOKEN: token, NO_COLOR: "1" },
        encoding: "utf8",
        timeout: 60_000,
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const api = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${base}${p}`, {
        method,
        headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    };
    const file = path.join(dir, "acp.yaml");
    const write = (doc: unknown) => fs.writeFileSync(file, stringify(doc));

    // The demo organisation, exported: planning the export shows no changes.
    const exported = acp(["export", "-o", "live.yaml"]);
    const live = fs.readFileSync(path.join(dir, "live.yaml"), "utf8");
    check(exported.code === 0 && /^version: 1$/m.test(live), "export writes the live configuration as YAML", exported);
    const same = acp(["plan", "-f", "live.yaml"]);
    check(same.code === 0 && same.out.includes("No changes"), "plan of the demo organisation's export: exit 0", same);

    // Edit the YAML: add a rule, change a budget, deploy a new config to an agent in prod (four-eyes).
    const doc = parse(live);
    const triage = doc.agents.find((a: { slug: string }) => a.slug === "support-triage");
    triage.permissions.push({ effect: "allow", action: "tool:invoke", resource: "zendesk.merge_tickets" });
    triage.config.systemPrompt = `${triage.config.systemPrompt} Never close a ticket yourself.`;
    const budget = doc.budgets.find((b: { name: string }) => b.name === "Support triage daily");
    budget.limitUsd += 5;
    write(doc);
    const rule = `support-triage#${triage.permissions.length}`;
    const plan = acp(["plan", "-f", "acp.yaml"]);
    check(plan.code === 2, "plan with changes: exit 2", plan);
    const lines = plan.out.split("\n").filter((l) => /^[+~±-] /.test(l));
    check(
      JSON.stringify(lines) ===
        JSON.stringify(["~ agentConfig support-triage", `+ rule ${rule}`, "~ budget Support triage daily"]),
      "plan shows exactly the three edits",
      plan.out,
    );
    check(
      /systemPrompt: ".*" → ".*Never close a ticket yourself\."/.test(plan.out),
      "plan shows field diffs",
      plan.out,
    );
    check(/Plan: 1 to create, 2 to update, 0 to delete\./.test(plan.out), "plan prints its summary", plan.out);

    const applied = acp(["apply", "-f", "acp.yaml"]);
    check(applied.code === 0 && /Applied 3 change/.test(applied.out), "apply: exit 0, 3 changes", applied);
    check(
      /Waiting for a second admin: support-triage \(change request /.test(applied.out),
      "the prod deployment waits for a second admin",
      applied.out,
    );
    const again = acp(["plan", "-f", "acp.yaml"]);
    check(
      again.code === 0 && again.out.includes("No changes") && again.out.includes("agentConfig support-triage: waiting"),
      "a second plan shows no changes (the deployment is waiting)",
      again,
    );
    const triageLive = await api("GET", "/api/v1/agents/support-triage");
    const rules = await api("GET", "/api/v1/agents/support-triage/permissions");
    check(
      rules.json.items?.at(-1)?.resource === "zendesk.merge_tickets" &&
        rules.json.items.length === triage.permissions.length,
      "the rule is added at the end",
      rules.json,
    );
    const budgets = await api("GET", "/api/v1/budgets?limit=500");
    check(
      budgets.json.items?.find((b: { name: string }) => b.name === "Support triage daily")?.limitUsd ===
        budget.limitUsd,
      "the budget is changed",
      budgets.json.items?.find((b: { name: string }) => b.name === "Support triage daily"),
    );

    // Drift: a change made in the console (here its API) shows in the plan as the change that would undo it.
    await api("PATCH", `/api/v1/agents/${triageLive.json.id}`, { name: "Renamed by hand" });
    const drift = acp(["plan", "-f", "acp.yaml"]);
    check(
      drift.code === 2 &&
        drift.out.includes("~ agent support-triage") &&
        drift.out.includes('name: "Renamed by hand" → "Support triage"'),
      "a console edit shows up as drift",
      drift.out,
    );

    // New objects: a team, an agent with its rules, a budget, a webhook, a stricter staging policy.
    doc.teams.push({ slug: "payments", name: "Payments" });
    doc.agents.push({
      slug: "refund-bot",
      name: "Refund bot",
      team: "payments",
      environment: "dev",
      owner: "admin@config.test",
      config: { model: "gpt-5-mini", systemPrompt: "Refund within policy." },
      permissions: [
        { effect: "allow", action: "tool:invoke", resource: "payments.refund", maxCostPerCallUsd: 0.25 },
        { effect: "deny", action: "*", resource: "payments.delete_*" },
      ],
    });
    doc.budgets.push({ name: "refunds-daily", scope: "agent", agent: "refund-bot", period: "day", limitUsd: 20 });
    doc.environments.staging.requireApproval = true;
    doc.webhooks.push({ name: "siem", url: "https://hooks.example.com/acp" });
    write(doc);
    const grow = acp(["apply", "-f", "acp.yaml"]);
    check(
      grow.code === 0 &&
        [
          "+ team payments",
          "+ agent refund-bot",
          "+ rule refund-bot#2",
          "+ budget refunds-daily",
          "+ webhook siem",
        ].every((l) => grow.out.includes(l)) &&
        /requireApproval: false → true/.test(grow.out) &&
        /Applied 8 change/.test(grow.out),
      "apply creates a team, an agent with its rules, a budget and a webhook, and tightens a policy (undoing the drift)",
      grow,
    );
    check(/Webhook siem: signing secret whsec_/.test(grow.out), "apply shows the new webhook's secret once", grow.out);
    check(
      grow.out.includes("https://hooks.example.com/…#") && !grow.out.includes("hooks.example.com/acp"),
      "a plan shows a webhook's URL masked (CI logs keep plans; a URL often carries its secret)",
      grow.out,
    );
    const agent = await api("GET", "/api/v1/agents/refund-bot");
    check(
      agent.status === 200 && agent.json.deployedVersion === 1 && agent.json.ownerId === admin.actor.id,
      "the new agent is registered with its config live",
      agent,
    );
    const refundRules = await api("GET", "/api/v1/agents/refund-bot/permissions");
    check(
      refundRules.json.items?.length === 2 && refundRules.json.items[0].maxCostMicros === 250_000,
      "its rules are in order",
      refundRules.json,
    );

    // A reviewed plan is applied only while the live state is still the one it was made from.
    const reviewed = JSON.parse(acp(["plan", "-f", "acp.yaml", "--json"]).out);
    await api("PATCH", `/api/v1/agents/${agent.json.id}`, { description: "moved again" });
    const stale = acp(["apply", "-f", "acp.yaml", "--plan-hash", reviewed.planHash]);
    check(
      stale.code === 1 && stale.err.includes("409 plan_stale"),
      "a stale reviewed plan is refused: exit 1, 409",
      stale,
    );
    const fresh = JSON.parse(acp(["plan", "-f", "acp.yaml", "--json"]).out);
    const ok = acp(["apply", "-f", "acp.yaml", "--plan-hash", fresh.planHash]);
    check(ok.code === 0 && /Applied 1 change/.test(ok.out), "the fresh reviewed plan applies", ok);

    const asAuditor = acp(["apply", "-f", "acp.yaml", "--plan-hash", fresh.planHash], auditor.token);
    check(
      asAuditor.code === 1 && asAuditor.err.includes("403"),
      "an auditor's token plans but cannot apply",
      asAuditor,
    );
    fs.writeFileSync(path.join(dir, "bad.yaml"), "version: 1\nagents:\n  - slug: Bad Slug\n");
    const bad = acp(["plan", "-f", "bad.yaml"]);
    check(
      bad.code === 1 && bad.err.includes("422") && bad.err.includes("document.agents.0.slug"),
      "a bad document: exit 1 naming the field",
      bad,
    );
    const noToken = acp(["plan", "-f", "acp.yaml"], "");
    check(noToken.code === 1 && noToken.err.includes("ACP_TOKEN"), "no token: exit 1 saying what to set", noToken);

    const audit = await api("GET", "/api/v1/audit/events?action=config.applied");
    check(
      audit.json.items?.length === 3 &&
        audit.json.items.some((e: { targetId: string }) => e.targetId === fresh.planHash),
      "each apply is one config.applied audit event naming its plan",
      audit.json,
    );
  } finally {
    await stopApp(app);
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (failures.length) {
    console.error(`\n${failures.length} check(s) failed:\n${failures.join("\n")}`);
    return 1;
  }
  console.log("\nconfiguration as code: every check passed");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
