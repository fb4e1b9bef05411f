/**
 * npm start: apply migrations, seed the demo organisation into an empty embedded database, then serve the
 * built console (building it first if needed) on http://127.0.0.1:3000.
 * Env: PORT, HOST, DATABASE_URL (PostgreSQL; else embedded PGlite in PGLITE_DIR), SEED_DEMO=1 to seed an
 * empty PostgreSQL too, SEED_DAYS, NEXTAUTH_SECRET / NEXTAUTH_URL (defaults made for you), DATA_PLANE_PORT (with
 * PostgreSQL: also serve the agent runtime's hot routes from a process without Next on that port, the data plane).
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { dbTarget, describeTarget } from "../lib/db/config";
import { deployMigrations } from "../lib/db/migrate";
import { DATA_PLANE_NODE_ARGS } from "../lib/http/direct-routes.mjs";

const root = process.cwd();
const port = process.env.PORT ?? "3000";
const host = process.env.HOST ?? "127.0.0.1";
const dev = process.argv.includes("--dev");

function authSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  // A per-installation secret, kept beside the embedded data (never committed).
  const file = path.join(root, ".data", "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

async function main() {
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXTAUTH_SECRET: authSecret(),
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://${host}:${port}`,
  };
  const target = dbTarget();
  const planePort = process.env.DATA_PLANE_PORT;
  if (planePort && (dev || target.kind !== "postgres")) {
    console.error(
      "[start] DATA_PLANE_PORT needs the production build on PostgreSQL (DATABASE_URL): the embedded database opens in one process. Without it, the console serves the runtime API.",
    );
    process.exit(1);
  }
  const t0 = Date.now();
  const applied = await deployMigrations(target);
  console.log(
    `[start] ${describeTarget(target)}: ${applied.length ? `applied ${applied.length} migration(s)` : "schema up to date"} (${Date.now() - t0} ms)`,
  );

  // Seeding runs in its own process, which closes the embedded database before the server opens it.
  const seedWanted = target.kind === "pglite" || process.env.SEED_DEMO === "1";
  if (seedWanted) {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "--import", "./scripts/outside-next.ts", "scripts/seed.ts"],
      { stdio: "inherit", env },
    );
    if (r.status !== 0) process.exit(r.status ?? 1);
  }

  if (!dev && !fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.log("[start] no production build found: running next build");
    const b = spawnSync(process.execPath, [require_next(), "build"], { stdio: "inherit", env });
    if (b.status !== 0) process.exit(b.status ?? 1);
  }
  console.log(`[start] console on http://${host}:${port}`);
  // scripts/serve.mjs runs Next behind a plain Node server that hands the socket's address to the app (the
  // client address for sign-in throttling and the audit trail; see lib/http/client-address.ts).
  const serve = (args: string[], p: string) =>
    spawn(
      process.execPath,
      [...(args.includes("--data-plane") ? DATA_PLANE_NODE_ARGS : []), "scripts/serve.mjs", ...args],
      {
        stdio: "inherit",
        env: { ...env, NODE_ENV: dev ? "development" : "production", PORT: p, HOST: host },
      },
    );
  const children = [serve(dev ? ["--dev"] : [], port)];
  // The data plane: agents pointed at it (or a load balancer routing the runtime's hot routes to it) are never paused
  // by what the console does.
  if (planePort) {
    console.log(`[start] data plane (the runtime's hot routes) on http://${host}:${planePort}`);
    children.push(serve(["--data-plane"], planePort));
  }
  for (const sig of ["SIGINT", "SIGTERM"] as const)
    process.on(sig, () => {
      for (const c of children) c.kill(sig);
    });
  // Either one ending stops the other; this process exits once both have, with the first one's failure if it failed
  // (a child killed by a signal we did not send, the OOM killer's say, is a failure: 128 + the signal's number).
  let code: number | null = null;
  let running = children.length;
  for (const child of children)
    child.on("exit", (exitCode, signal) => {
      code ??=
        exitCode ?? (signal && signal !== "SIGTERM" && signal !== "SIGINT" ? 128 + os.constants.signals[signal] : 0);
      for (const c of children) if (c !== child && c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
      if (--running === 0) process.exit(code);
    });
}

function require_next(): string {
  return path.join(root, "node_modules", "next", "dist", "bin", "next");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
