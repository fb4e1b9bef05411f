/**
 * Shared by the benchmarks and the crash test: a scratch PostgreSQL database with the schema applied, and the
 * built app started against it.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

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

/** Starts the production build (building it first if there is none) in its own process group. */
export function startBuiltApp(dbUrl: string, port: number, env: Record<string, string> = {}): ChildProcess {
  const root = process.cwd();
  const next = path.join(root, "node_modules/next/dist/bin/next");
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    const b = spawnSync(process.execPath, [next, "build"], { stdio: "inherit" });
    if (b.status !== 0) throw new Error("next build failed");
  }
  const base = `http://127.0.0.1:${port}`;
  // The same server `npm start` runs (scripts/serve.ts: Next behind a Node server that passes the socket address).
  return spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
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
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
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

export async function waitFor(url: string, ms = 120_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not answer ${url}`);
}
