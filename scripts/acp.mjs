#!/usr/bin/env node
/**
 * acp: the control plane's configuration from a CI pipeline, through the API with a personal access token.
 *
 *   acp export [-o acp.yaml]        the live configuration as YAML (or --format json)
 *   acp plan -f acp.yaml            what applying it would change; exit 0 no changes, 2 changes, 1 error
 *   acp apply -f acp.yaml           plan and apply that very plan (all or nothing); --plan-hash applies only a
 *                                   reviewed plan; exit 0 applied, 1 error (e.g. the live state moved: plan again)
 *
 * ACP_URL (default http://127.0.0.1:3000) and ACP_TOKEN (a personal access token) say where and as whom.
 * Plain JavaScript on Node's own fetch, so `npx acp` runs without a build.
 */
import fs from "node:fs";
import { Command, Option } from "commander";

const EXIT = { ok: 0, error: 1, changes: 2 };

class CliError extends Error {}

/** An address as it may be printed: without credentials in it. */
function shown(url) {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.origin;
  } catch {
    return "the control plane";
  }
}

function connection(opts) {
  const url = (opts.url ?? process.env.ACP_URL ?? "http://127.0.0.1:3000").replace(/\/+$/, "");
  const token = opts.token ?? process.env.ACP_TOKEN;
  if (!token)
    throw new CliError("Set ACP_TOKEN to a personal access token (Settings → Access tokens), or pass --token");
  return { url, token };
}

async function call(conn, method, path, body) {
  let res;
  try {
    res = await fetch(`${conn.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${conn.token}`,
        accept: "application/json",
        ...(body ? { "content-type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      // The token goes to the address given, never to one a redirect names.
      redirect: "error",
    });
  } catch (err) {
    throw new CliError(`Cannot reach ${shown(conn.url)}: ${err.cause?.message ?? err.message}`);
  }
  const text = await res.text();
  if (res.ok) return { text, json: () => JSON.parse(text) };
  let error;
  try {
    error = JSON.parse(text).error;
  } catch {
    error = { message: text.slice(0, 500) };
  }
  const details = error?.details && typeof error.details === "object" ? error.details : {};
  const lines = Object.entries(details).map(([field, msgs]) => `  ${field}: ${[].concat(msgs).join("; ")}`);
  throw new CliError([`${res.status} ${error?.code ?? ""} ${error?.message ?? ""}`.trim(), ...lines].join("\n"));
}

function readDocument(file) {
  try {
    return fs.readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (err) {
    throw new CliError(`Cannot read ${file}: ${err.message}`);
  }
}

const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, s) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const SIGN = { create: paint(32, "+"), update: paint(33, "~"), replace: paint(35, "±"), delete: paint(31, "-") };
const show = (v) => (v === null || v === undefined ? "(none)" : JSON.stringify(v));

/** A plan as people read diffs: one line per object, one indented line per field. */
function formatPlan(plan) {
  const out = [];
  for (const c of plan.changes) {
    out.push(`${SIGN[c.op] ?? "?"} ${c.kind} ${c.key}${c.op === "replace" ? " (replaced)" : ""}`);
    for (const f of c.fields) {
      if (c.op === "create") out.push(`    ${f.field}: ${show(f.to)}`);
      else if (c.op === "delete") out.push(`    ${f.field}: ${show(f.from)}`);
      else out.push(`    ${f.field}: ${show(f.from)} → ${show(f.to)}`);
    }
  }
  for (const w of plan.waiting ?? [])
    out.push(
      w.requestId
        ? `… agentConfig ${w.key}: waiting for a second admin (change request ${w.requestId})`
        : `… agentConfig ${w.key}: v${w.versionNumber} waiting for its eval suites (${(w.gateFailures ?? []).map((f) => `${f.suite} ${f.status}`).join(", ")})`,
    );
  for (const i of plan.impact ?? []) {
    const what = i.kind === "rules" ? `rules of ${i.key}` : `budget ${i.key} (${i.op})`;
    const flips = i.transitions.map((t) => `${t.from} → ${t.to} ${t.calls}`).join(", ");
    out.push(
      `≈ ${what}: over the last 7 days ${i.changed} of ${i.decisions} recorded calls would be decided differently` +
        (i.changed ? ` (${flips}; $${(i.changedUsageMicros / 1e6).toFixed(2)} of usage behind them)` : ""),
    );
  }
  const s = plan.summary;
  out.push(
    plan.changes.length
      ? `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete. planHash ${plan.planHash}`
      : `No changes: the live configuration matches. planHash ${plan.planHash}`,
  );
  return out.join("\n");
}

/** An action answers its exit code. */
const run =
  (fn) =>
  async (...args) => {
    process.exitCode = await fn(...args);
  };

const program = new Command()
  .name("acp")
  .description("Agent Control Plane configuration as code")
  .addOption(new Option("--url <url>", "the control plane's address").env("ACP_URL"))
  .addOption(new Option("--token <token>", "a personal access token").env("ACP_TOKEN"))
  .showHelpAfterError()
  .exitOverride();

program
  .command("export")
  .description("print (or write) the live configuration")
  .option("-o, --output <file>", "write to this file instead of standard output")
  .addOption(new Option("--format <format>", "yaml or json").choices(["yaml", "json"]).default("yaml"))
  .action(
    run(async (opts) => {
      const conn = connection(program.opts());
      const res = await call(conn, "GET", `/api/v1/config/export?format=${opts.format}`);
      const text = opts.format === "json" ? `${JSON.stringify(res.json(), null, 2)}\n` : res.text;
      if (opts.output) fs.writeFileSync(opts.output, text);
      else process.stdout.write(text);
      return EXIT.ok;
    }),
  );

program
  .command("plan")
  .description("show what applying a document would change (exit 0: none, 2: changes)")
  .requiredOption("-f, --file <file>", "the configuration document (YAML or JSON; - for standard input)")
  .option("--json", "print the plan as JSON")
  .action(
    run(async (opts) => {
      const conn = connection(program.opts());
      const plan = (await call(conn, "POST", "/api/v1/config/plan", { document: readDocument(opts.file) })).json();
      console.log(opts.json ? JSON.stringify(plan, null, 2) : formatPlan(plan));
      return plan.changes.length ? EXIT.changes : EXIT.ok;
    }),
  );

program
  .command("apply")
  .description("apply a document: all of its changes or none")
  .requiredOption("-f, --file <file>", "the configuration document (YAML or JSON; - for standard input)")
  .option("--plan-hash <hash>", "apply only if the plan is still this one (the planHash a reviewed plan printed)")
  .option("--secrets-file <file>", "write new webhooks' signing secrets here (mode 600) instead of printing them")
  .action(
    run(async (opts) => {
      const conn = connection(program.opts());
      const document = readDocument(opts.file);
      let planHash = opts.planHash;
      if (!planHash) {
        const plan = (await call(conn, "POST", "/api/v1/config/plan", { document })).json();
        console.log(formatPlan(plan));
        if (!plan.changes.length) return EXIT.ok;
        planHash = plan.planHash;
      }
      const result = (await call(conn, "POST", "/api/v1/config/apply", { document, planHash })).json();
      console.log(`Applied ${result.applied} change(s) (plan ${result.planHash.slice(0, 12)}).`);
      for (const p of result.pending)
        console.log(`Waiting for a second admin: ${p.key} (change request ${p.requestId})`);
      for (const w of result.waitingForEvals ?? [])
        console.log(
          `Registered ${w.key}; v${w.versionNumber} goes live once its eval suites pass (${w.gateFailures.map((f) => `${f.suite} ${f.status}`).join(", ")})`,
        );
      if (result.webhookSecrets.length && opts.secretsFile) {
        const lines = result.webhookSecrets.map((w) => `${w.name}=${w.secret}`).join("\n");
        fs.writeFileSync(opts.secretsFile, `${lines}\n`, { mode: 0o600 });
        console.log(`New webhooks' signing secrets written to ${opts.secretsFile}.`);
      } else
        for (const w of result.webhookSecrets)
          console.log(`Webhook ${w.name}: signing secret ${w.secret} (shown once; store it now)`);
      return EXIT.ok;
    }),
  );

try {
  const [, , ...argv] = process.argv;
  if (!argv.length) argv.push("--help");
  await program.parseAsync(argv, { from: "user" });
} catch (err) {
  if (err instanceof CliError) {
    console.error(`acp: ${err.message}`);
    process.exitCode = EXIT.error;
  } else if (err?.code?.startsWith?.("commander.")) {
    process.exitCode = err.code === "commander.helpDisplayed" || err.code === "commander.version" ? 0 : EXIT.error;
  } else {
    console.error(err);
    process.exitCode = EXIT.error;
  }
}
