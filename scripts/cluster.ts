/**
 * npm run cluster: the app past one machine, on this one. A private PostgreSQL primary and a streaming replica made
 * from it with pg_basebackup, three app instances (DATABASE_URL the primary, DATABASE_READ_URL the replica for spend
 * and audit reads), each a console and a data plane (the agent runtime's hot routes without Next: scripts/serve.mjs
 * --data-plane), and HAProxy in front of them: the runtime's hot routes to the data planes, everything else to the
 * consoles, round robin, with health checks. Everything binds to 127.0.0.1 and everything started is stopped on
 * Ctrl-C. The demo organisation is seeded, as `npm start` does.
 * Env: CLUSTER_PORT (the console behind HAProxy, default 3000), CLUSTER_INSTANCES (3), SEED_DAYS.
 * Needs Debian's postgresql and haproxy (apt-get install -y postgresql haproxy). scripts/cluster-test.ts runs the
 * same topology in the test suite.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DIRECT_ROUTES } from "../lib/http/direct-routes.mjs";
import { type App, freePort, sql, startBuiltApp, stopApp, waitFor } from "./harness";

const SERVER_TOOLS = ["initdb", "pg_ctl", "pg_basebackup", "postgres"];
/** The newest PostgreSQL server installation (the client package alone ships pg_basebackup but no server). */
const pgBin = () => {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const full = versions
    .map((v) => path.join(root, v, "bin"))
    .find((bin) => SERVER_TOOLS.every((t) => fs.existsSync(path.join(bin, t))));
  return full ?? null;
};

const haproxyBin = () =>
  ["/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy"].find((p) => fs.existsSync(p)) ?? null;

/** What the topology needs that this machine lacks (empty when it can run). */
export function clusterMissing(): string[] {
  const bin = pgBin();
  return [
    ...(bin ? [] : ["postgresql (initdb, pg_ctl, pg_basebackup, postgres)"]),
    ...(haproxyBin() ? [] : ["haproxy"]),
  ];
}

/** PostgreSQL refuses to run as root: as root, its tools run as the postgres user. */
function asPostgres(cmd: string, args: string[]) {
  const root = process.getuid?.() === 0;
  const quoted = [cmd, ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
  const r = root
    ? spawnSync("su", ["postgres", "-s", "/bin/sh", "-c", quoted], { encoding: "utf8" })
    : spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} failed: ${r.stderr || r.stdout}`);
}

export type PgPair = { dir: string; primary: string; replica: string; replicaLog: string; stop: () => void };

/**
 * A primary (initdb, trust on 127.0.0.1) and a hot-standby replica streaming from it (pg_basebackup -R), on free
 * ports, in a temporary folder. `logReplicaStatements` logs every statement the replica runs (the test uses it to
 * see which reads the replica served).
 */
export async function startPgPair(opts: { logReplicaStatements?: boolean } = {}): Promise<PgPair> {
  const bin = pgBin();
  if (!bin) throw new Error("PostgreSQL binaries not found under /usr/lib/postgresql");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acp-cluster-"));
  if (process.getuid?.() === 0) spawnSync("chown", ["postgres", dir]);
  const [pPort, rPort] = [await freePort(), await freePort()];
  const started: string[] = [];
  const stop = () => {
    for (const d of started.reverse())
      try {
        asPostgres(path.join(bin, "pg_ctl"), ["-D", d, "stop", "-m", "fast"]);
      } catch {
        /* already stopped */
      }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const primaryDir = path.join(dir, "primary");
    const replicaDir = path.join(dir, "replica");
    asPostgres(path.join(bin, "initdb"), ["-D", primaryDir, "-A", "trust", "-U", "postgres", "--no-sync"]);
    const common = `-c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c max_connections=200`;
    asPostgres(path.join(bin, "pg_ctl"), [
      "-D",
      primaryDir,
      "-o",
      `-p ${pPort} ${common} -c wal_level=replica -c max_wal_senders=4`,
      "-l",
      path.join(dir, "primary.log"),
      "-w",
      "start",
    ]);
    started.push(primaryDir);
    asPostgres(path.join(bin, "pg_basebackup"), [
      ...["-h", "127.0.0.1", "-p", String(pPort), "-U", "postgres"],
      ...["-D", replicaDir, "-R", "-X", "stream", "-c", "fast"],
    ]);
    const replicaLog = path.join(dir, "replica.log");
    asPostgres(path.join(bin, "pg_ctl"), [
      "-D",
      replicaDir,
      "-o",
      // hot_standby_feedback: the primary keeps the rows a long read on the replica (an audit export) still needs,
      // so replay never cancels it.
      `-p ${rPort} ${common} -c hot_standby=on -c hot_standby_feedback=on${opts.logReplicaStatements ? " -c log_statement=all" : ""}`,
      "-l",
      replicaLog,
      "-w",
      "start",
    ]);
    started.push(replicaDir);
    return {
      dir,
      primary: `postgresql://postgres@127.0.0.1:${pPort}`,
      replica: `postgresql://postgres@127.0.0.1:${rPort}`,
      replicaLog,
      stop,
    };
  } catch (e) {
    stop();
    throw e;
  }
}

export type Cluster = {
  base: string;
  dbUrl: string;
  readUrl: string;
  pg: PgPair;
  /** The consoles, and the data planes (the runtime's hot routes), one of each per instance. */
  apps: App[];
  dataPlanes: App[];
  stop: () => Promise<void>;
};

/**
 * The whole topology: the PostgreSQL pair, a database `acp` with the migrations applied (and, with `seed`, the demo
 * organisation), `instances` apps on the production build, and HAProxy on `port` in front of them. `prepare` runs
 * against the database before the apps start (this process's DATABASE_URL points at the primary meanwhile).
 */
export async function startCluster(opts: {
  port?: number;
  instances?: number;
  seed?: boolean;
  env?: Record<string, string>;
  logReplicaStatements?: boolean;
  prepare?: (dbUrl: string) => Promise<void>;
}): Promise<Cluster> {
  const haproxy = haproxyBin();
  if (!haproxy) throw new Error("haproxy not found (apt-get install -y haproxy)");
  const apps: App[] = [];
  const dataPlanes: App[] = [];
  let proxy: ChildProcess | null = null;
  let pg: PgPair | null = null;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.off(sig, onSignal);
    if (proxy && proxy.exitCode === null) {
      const gone = new Promise((r) => proxy?.once("exit", r));
      proxy.kill("SIGTERM");
      await gone;
    }
    await Promise.all([...apps, ...dataPlanes].map((a) => stopApp(a)));
    pg?.stop();
  };
  // Ctrl-C at any point, while starting too, stops whatever has started, then exits.
  let started = false;
  const onSignal = () => void stop().then(() => process.exit(started ? 0 : 130));
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, onSignal);
  try {
    pg = await startPgPair({ logReplicaStatements: opts.logReplicaStatements });
    await sql(`${pg.primary}/postgres`, `CREATE DATABASE acp`);
    const dbUrl = `${pg.primary}/acp`;
    const readUrl = `${pg.replica}/acp`;
    process.env.DATABASE_URL = dbUrl;
    const { deployMigrations } = await import("../lib/db/migrate");
    await deployMigrations({ kind: "postgres", url: dbUrl });
    const port = opts.port ?? (await freePort());
    const base = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      DATABASE_READ_URL: readUrl,
      NEXTAUTH_URL: base,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      TRUSTED_PROXIES: "127.0.0.1",
      // One key set for every instance, and the cluster's own: its database is new each time.
      AUDIT_KEY_DIR: path.join(pg.dir, "audit-keys"),
      LOG_LEVEL: "warn",
      ...opts.env,
    };
    if (opts.seed) {
      const r = spawnSync(
        process.execPath,
        ["--import", "tsx", "--import", "./scripts/outside-next.ts", "scripts/seed.ts"],
        { stdio: "inherit", env: { ...process.env, ...env, DATABASE_URL: dbUrl } },
      );
      if (r.status !== 0) throw new Error("seeding the demo organisation failed");
    }
    if (opts.prepare) await opts.prepare(dbUrl);

    const [ports, planePorts]: number[][] = [[], []];
    for (let i = 0; i < (opts.instances ?? 3); i++) {
      const [p, dp] = [await freePort(), await freePort()];
      ports.push(p);
      planePorts.push(dp);
      const app = startBuiltApp(dbUrl, p, env);
      apps.push(app);
      // One at a time: the first start builds the app when there is no build.
      await waitFor(`${app.base}/api/ready`, app);
      const plane = startBuiltApp(dbUrl, dp, env, { dataPlane: true });
      dataPlanes.push(plane);
      await waitFor(`${plane.base}/api/ready`, plane);
    }
    const checked = [
      "  balance roundrobin",
      "  option httpchk GET /api/ready",
      "  http-check expect status 200",
      "  timeout check 5s",
    ];

    const cfg = path.join(pg.dir, "haproxy.cfg");
    fs.writeFileSync(
      cfg,
      [
        "global",
        "  maxconn 4096",
        "defaults",
        "  mode http",
        "  option forwardfor",
        "  timeout connect 5s",
        "  timeout client 120s",
        "  timeout server 120s",
        "frontend console",
        `  bind 127.0.0.1:${port}`,
        // The runtime's hot routes (exact paths, POST) to the data planes; everything else to the consoles.
        `  acl runtime path ${DIRECT_ROUTES.join(" ")}`,
        "  use_backend runtime if METH_POST runtime",
        "  default_backend apps",
        "backend apps",
        ...checked,
        ...ports.map((p, i) => `  server app${i + 1} 127.0.0.1:${p} check inter 1s fall 3 rise 1`),
        "backend runtime",
        ...checked,
        ...planePorts.map((p, i) => `  server plane${i + 1} 127.0.0.1:${p} check inter 1s fall 3 rise 1`),
        // With every data plane down, the consoles answer the runtime's calls (they serve the same routes).
        ...ports.map((p, i) => `  server app${i + 1} 127.0.0.1:${p} check inter 1s fall 3 rise 1 backup`),
        "",
      ].join("\n"),
    );
    proxy = spawn(haproxy, ["-f", cfg, "-db"], { stdio: ["ignore", "ignore", "inherit"] });
    // Every console and data plane answers through the balancer before the cluster is handed over (a runtime call
    // without a key: the data plane's 401).
    const seen = new Set<string>();
    const all = [...apps, ...dataPlanes];
    const end = Date.now() + 60_000;
    while (seen.size < all.length) {
      if (Date.now() > end) throw new Error(`HAProxy reached ${seen.size} of ${all.length} processes`);
      if (proxy.exitCode !== null) throw new Error(`haproxy exited (${proxy.exitCode})`);
      try {
        for (const res of [
          await fetch(`${base}/api/ready`),
          await fetch(`${base}${DIRECT_ROUTES[0]}`, { method: "POST" }),
        ]) {
          await res.arrayBuffer();
          const id = res.headers.get("x-acp-instance");
          if ((res.ok || res.status === 401) && id && all.some((a) => a.instance === id)) seen.add(id);
        }
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    started = true;
    return { base, dbUrl, readUrl, pg, apps, dataPlanes, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function main() {
  const missing = clusterMissing();
  if (missing.length) {
    console.error(`npm run cluster needs ${missing.join(" and ")}: apt-get install -y postgresql haproxy`);
    process.exit(1);
  }
  const cluster = await startCluster({
    port: Number(process.env.CLUSTER_PORT ?? 3000),
    instances: Number(process.env.CLUSTER_INSTANCES ?? 3),
    seed: true,
  });
  console.log(`[cluster] console on ${cluster.base} (HAProxy, round robin)`);
  cluster.apps.forEach((a, i) => {
    console.log(`[cluster] instance ${i + 1}: console ${a.base}, data plane ${cluster.dataPlanes[i].base}`);
  });
  console.log(`[cluster] primary ${cluster.dbUrl}, streaming replica ${cluster.readUrl} (spend and audit reads)`);
  console.log("[cluster] Ctrl-C stops everything");
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? "")) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
