/**
 * Shared by the benchmarks and the crash test: a scratch PostgreSQL database with the schema applied, and the
 * built app started against it.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { DATA_PLANE_NODE_ARGS } from "../lib/http/direct-routes.mjs";

export const pgServer = () =>
  process.env.BENCH_PG_URL ?? process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

/**
 * Creates a fresh database on `server`, applies the migrations and points this process's DATABASE_URL at it
 * (so lib/domain functions can seed it). `drop` removes it.
 */
export async function scratchDatabase(server: string, prefix: string) {
  const name = `${prefix}_${Date.now()}`;
  await sql(server, `CREATE DATABASE "${name}"`);
  const u = new URL(server);
  u.pathname = `/${name}`;
  const url = u.toString();
  process.env.DATABASE_URL = url;
  const { deployMigrations } = await import("../lib/db/migrate");
  await deployMigrations({ kind: "postgres", url });
  return {
    url,
    drop: () =>
      sql(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(
        () => undefined,
        () => undefined,
      ),
  };
}

/**
 * A person who can use the API and the console as `role`: created with an admin-set password, which they change as a
 * person must at first sign-in (to `password`), and given a personal access token. Seeds through lib/domain, so this
 * process's DATABASE_URL must point at the database (scratchDatabase sets it).
 */
export async function seedPerson(email: string, role: "admin" | "auditor", password = "harness-password-123") {
  const { systemActor } = await import("../lib/domain/actor");
  const { createUser } = await import("../lib/domain/users/create-user");
  const { changeOwnPassword } = await import("../lib/domain/users/change-own-password");
  const { createPersonalAccessToken } = await import("../lib/domain/tokens/create-personal-access-token");
  const initial = `${password}-initial`;
  const person = await createUser(systemActor("harness"), {}, { email, name: email, role, password: initial });
  const actor = { type: "user" as const, id: person.id, label: person.email, role, teamIds: [] };
  await changeOwnPassword(actor, {}, { currentPassword: initial, newPassword: password, confirmPassword: password });
  const { token } = await createPersonalAccessToken(actor, {}, { name: "harness" });
  return { actor, token };
}

/** A port nothing listens on now (the OS picks it). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => srv.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** The built app in its own process group, with the instance id it answers with (X-ACP-Instance). */
export type App = ChildProcess & { instance: string; base: string };

/**
 * Starts the production build (building it first if there is none) in its own process group. Each start gets a
 * random instance id, which the server echoes on every answer: `waitFor(url, app)` only accepts that server, never
 * another one that happens to listen on the port. With `dataPlane`, the build's data plane (the runtime API without
 * Next: scripts/serve.mjs --data-plane) instead of the console.
 */
export function startBuiltApp(
  dbUrl: string,
  port: number,
  env: Record<string, string> = {},
  { dataPlane = false } = {},
): App {
  const root = process.cwd();
  const next = path.join(root, "node_modules/next/dist/bin/next");
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    const b = spawnSync(process.execPath, [next, "build"], { stdio: "inherit" });
    if (b.status !== 0) throw new Error("next build failed");
  }
  const base = `http://127.0.0.1:${port}`;
  const instance = randomUUID();
  // The same server `npm start` runs (scripts/serve.mjs: Next behind a Node server that passes the socket address).
  // HARNESS_NODE_ARGS: extra Node flags for the app (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile a bench).
  const extra = process.env.HARNESS_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const node = dataPlane
    ? [...DATA_PLANE_NODE_ARGS, ...extra, "scripts/serve.mjs", "--data-plane"]
    : [...extra, "scripts/serve.mjs"];
  const child = spawn(process.execPath, node, {
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      NEXTAUTH_SECRET: "harness-secret-0123456789",
      NEXTAUTH_URL: base,
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      KEEP_ALIVE_TIMEOUT_MS: "15000",
      ...env,
      ACP_INSTANCE_ID: instance,
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  return Object.assign(child, { instance, base });
}

/** Stops the app's whole process group with `signal` and waits for it to exit. */
export async function stopApp(app: ChildProcess | null, signal: NodeJS.Signals = "SIGTERM") {
  if (!app?.pid || app.exitCode !== null || app.signalCode !== null) return;
  const exited = new Promise<void>((r) => app.once("exit", () => r()));
  try {
    process.kill(-app.pid, signal);
  } catch {
    /* already gone: its exit event is still to come */
  }
  await exited;
}

/**
 * Waits until `url` answers 2xx. With `app`, the answer must come from that very process (its X-ACP-Instance), and
 * an app that exits while starting (its port taken, say) fails at once.
 */
export async function waitFor(url: string, app?: App, ms = 120_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (app && (app.exitCode !== null || app.signalCode !== null))
      throw new Error(`the app exited while starting (${app.exitCode ?? app.signalCode})`);
    try {
      const res = await fetch(url);
      if (res.ok && (!app || res.headers.get("x-acp-instance") === app.instance)) return;
      if (res.ok && app) throw new Error(`another server answers ${url}: not the app this harness started`);
    } catch (e) {
      if (e instanceof Error && e.message.startsWith("another server")) throw e;
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not answer ${url}`);
}
