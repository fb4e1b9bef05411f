/**
 * Migrations on Prisma's own schema engine compiled to WebAssembly (@prisma/schema-engine-wasm),
 * because the stock CLI downloads a native engine that these machines cannot fetch.
 * Same migration files and `_prisma_migrations` table as the stock CLI. See ../shared/STACK.md for the traps
 * each workaround below answers.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { DbTarget } from "./config";

export const SCHEMA_PATH = path.join(process.cwd(), "prisma", "schema.prisma");
export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");
const FILTERS = { externalTables: [], externalEnums: [] };

type Engine = {
  diff(p: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  applyMigrations(p: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diagnoseMigrationHistory(p: unknown): Promise<{
    failedMigrationNames: string[];
    editedMigrationNames: string[];
    hasMigrationsTable: boolean;
    history: null | { diagnostic: string; unappliedMigrationNames?: string[]; unpersistedMigrationNames?: string[] };
  }>;
};

let wasmLoaded: Promise<{
  SchemaEngine: { new: (o: unknown, log: (s: string) => void, a: unknown) => Promise<Engine> };
}> | null = null;

function loadWasm() {
  // Node 20 cannot import .wasm as an ES module: instantiate it by hand.
  wasmLoaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const runtime = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = fs.readFileSync(path.join(path.dirname(bgPath), "schema_engine_bg.wasm"));
    const module = new WebAssembly.Module(bytes);
    const instance = new WebAssembly.Instance(module, {
      "./schema_engine_bg.js": runtime as unknown as WebAssembly.ModuleImports,
    });
    (runtime as unknown as { __wbg_set_wasm(x: unknown): void }).__wbg_set_wasm(instance.exports);
    (instance.exports as unknown as { __wbindgen_start(): void }).__wbindgen_start();
    return runtime as never;
  })();
  return wasmLoaded;
}

let pgPatched = false;
/** adapter-pg cannot decode the catalog types "char" (18) and name (19) the engine reads: report them as text. */
function patchPgCatalogTypes() {
  if (pgPatched) return;
  pgPatched = true;
  const original = pg.Client.prototype.query as (...a: unknown[]) => unknown;
  pg.Client.prototype.query = function patched(this: unknown, ...args: unknown[]) {
    const r = original.apply(this, args);
    if (r && typeof (r as Promise<unknown>).then === "function") {
      return (r as Promise<{ fields?: { dataTypeID: number }[] }>).then((res) => {
        for (const f of res?.fields ?? []) if (f.dataTypeID === 18 || f.dataTypeID === 19) f.dataTypeID = 25;
        return res;
      });
    }
    return r;
  } as typeof pg.Client.prototype.query;
}

/** Whole multi-statement scripts arrive at executeRaw with no arguments: run them as scripts. */
function withScriptRouting(adapter: SqlDriverAdapter, runScript: (sql: string) => Promise<void>): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (q) => {
    if (q.args.length === 0) {
      await runScript(q.sql);
      return 0;
    }
    return executeRaw(q);
  };
  adapter.executeScript = runScript;
  return adapter;
}

function pgliteAdapterOn(client: PGlite): Promise<SqlDriverAdapter> {
  return new PrismaPGlite(client).connect().then((a) =>
    // pglite-prisma-adapter does not await exec in executeScript, so failures would pass silently.
    withScriptRouting(a, async (sql) => {
      await client.exec(sql);
    }),
  );
}

type Opened = { factory: SqlMigrationAwareDriverAdapterFactory; close: () => Promise<void> };

/** The shadow database is always a fresh in-memory PGlite: same SQL, nothing to create or drop on a server. */
async function openShadow(): Promise<{ adapter: SqlDriverAdapter; client: PGlite }> {
  const client = new PGlite();
  await client.waitReady;
  return { adapter: await pgliteAdapterOn(client), client };
}

async function openTarget(target: DbTarget | "memory"): Promise<Opened> {
  const shadows: PGlite[] = [];
  const connectToShadowDb = async () => {
    const s = await openShadow();
    shadows.push(s.client);
    const dispose = s.adapter.dispose.bind(s.adapter);
    s.adapter.dispose = async () => {
      await dispose();
    };
    return s.adapter;
  };
  const closeShadows = async () => {
    for (const s of shadows) await s.close().catch(() => undefined);
  };
  if (target === "memory" || target.kind === "pglite") {
    const client = target === "memory" ? new PGlite() : new PGlite({ dataDir: target.dataDir });
    await client.waitReady;
    const factory = {
      provider: "postgres" as const,
      adapterName: "acp-pglite",
      connect: () => pgliteAdapterOn(client),
      connectToShadowDb,
    };
    return {
      factory,
      close: async () => {
        await closeShadows();
        await client.close();
      },
    };
  }
  patchPgCatalogTypes();
  const pool = new pg.Pool({ connectionString: target.url, max: 2 });
  const base = new PrismaPg(pool);
  const factory = {
    provider: "postgres" as const,
    adapterName: "acp-pg",
    connect: async () =>
      withScriptRouting(await base.connect(), async (sql) => {
        // Simple-query protocol runs a whole script in one round trip, as one implicit transaction.
        await pool.query(sql);
      }),
    connectToShadowDb,
  };
  return {
    factory,
    close: async () => {
      await closeShadows();
      await pool.end();
    },
  };
}

async function withEngine<T>(target: DbTarget | "memory", fn: (engine: Engine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadWasm();
  const opened = await openTarget(target);
  try {
    const logs: string[] = [];
    const engine = await SchemaEngine.new(
      { datamodels: [[SCHEMA_PATH, fs.readFileSync(SCHEMA_PATH, "utf8")]] },
      (line: string) => logs.push(line),
      bindMigrationAwareSqlAdapterFactory(opened.factory),
    );
    return await fn(engine);
  } finally {
    await opened.close();
  }
}

export function readMigrations(dir = MIGRATIONS_DIR) {
  const lockPath = path.join(dir, "migration_lock.toml");
  const names = fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: dir,
    lockfile: { path: lockPath, content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8") },
      },
    })),
  };
}

function schemaFiles() {
  return { files: [{ path: SCHEMA_PATH, content: fs.readFileSync(SCHEMA_PATH, "utf8") }] };
}

/** SQL that takes the committed migrations to the current schema, or null when they already match. */
export async function diffMigrationsToSchema(): Promise<string | null> {
  const migrations = readMigrations();
  return withEngine("memory", async (engine) => {
    const from = migrations.migrationDirectories.length ? { tag: "migrations", ...migrations } : { tag: "empty" };
    const r = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", ...schemaFiles() },
      script: true,
      exitCode: true,
      filters: FILTERS,
    });
    return r.exitCode === 2 && r.stdout ? r.stdout : null;
  });
}

export function timestampName(name: string, now = new Date()): string {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
  if (!slug) throw new Error("a migration needs a --name made of letters or digits");
  const ts = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${ts}_${slug}`;
}

/** Writes a new migration folder from schema changes; returns its name, or null when nothing changed. */
export async function createMigration(name: string): Promise<string | null> {
  const sql = await diffMigrationsToSchema();
  if (!sql) return null;
  const dirName = timestampName(name);
  fs.mkdirSync(path.join(MIGRATIONS_DIR, dirName), { recursive: true });
  fs.writeFileSync(path.join(MIGRATIONS_DIR, dirName, "migration.sql"), sql);
  const lock = path.join(MIGRATIONS_DIR, "migration_lock.toml");
  if (!fs.existsSync(lock)) {
    fs.writeFileSync(
      lock,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  return dirName;
}

export async function deployMigrations(target: DbTarget): Promise<string[]> {
  return withEngine(target, async (engine) => {
    const r = await engine.applyMigrations({ migrationsList: readMigrations(), filters: FILTERS });
    return r.appliedMigrationNames;
  });
}

export type MigrationStatus = {
  upToDate: boolean;
  applied: number;
  pending: string[];
  notInFolder: string[];
  failed: string[];
  edited: string[];
};

export async function migrationStatus(target: DbTarget): Promise<MigrationStatus> {
  const list = readMigrations();
  return withEngine(target, async (engine) => {
    const d = await engine.diagnoseMigrationHistory({
      migrationsList: list,
      optInToShadowDatabase: false,
      filters: FILTERS,
    });
    const pending = !d.hasMigrationsTable
      ? list.migrationDirectories.map((m) => m.path)
      : (d.history?.unappliedMigrationNames ?? []);
    const notInFolder = d.history?.unpersistedMigrationNames ?? [];
    const ok =
      pending.length === 0 &&
      notInFolder.length === 0 &&
      d.failedMigrationNames.length === 0 &&
      d.editedMigrationNames.length === 0;
    return {
      upToDate: ok,
      applied: list.migrationDirectories.length - pending.length,
      pending,
      notInFolder,
      failed: d.failedMigrationNames,
      edited: d.editedMigrationNames,
    };
  });
}

/** Drops everything in the public schema, then re-applies every migration. */
export async function resetDatabase(target: DbTarget): Promise<string[]> {
  const dropSql = "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;";
  if (target.kind === "pglite") {
    const client = new PGlite({ dataDir: target.dataDir });
    await client.exec(dropSql);
    await client.close();
  } else {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      await client.query(dropSql);
    } finally {
      await client.end();
    }
  }
  return deployMigrations(target);
}
