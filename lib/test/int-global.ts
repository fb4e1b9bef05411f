/**
 * Once per integration project: one freshly migrated database that every test file's own database is copied from
 * (lib/test/int-setup.ts), instead of each file migrating its own. Migrating PGlite takes 10–20 s of Wasm per file on
 * these machines; copying its folder about 1 s, and a PostgreSQL `CREATE DATABASE … TEMPLATE` a fraction of a second.
 * When the template cannot be made (no PostgreSQL server answers), each file migrates its own, as before, and fails
 * the same way.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** int-pglite: a migrated PGlite folder to copy. */
    pgliteTemplate: string;
    /** int-postgres: a migrated database on TEST_PG_URL's server to copy. */
    postgresTemplate: string;
  }
}

export const testPgServerUrl = () => process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * Migrates in a child process (`scripts/db.ts deploy`): the two projects' setups share this process, and Prisma's Wasm
 * schema engine panics when a second migration runs in a process where one has run.
 */
function deploy(target: { DATABASE_URL: string; PGLITE_DIR?: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/db.ts", "deploy"], {
      env: { ...process.env, ...target },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`scripts/db.ts deploy exited with ${code}`)),
    );
  });
}

export default async function setup(project: TestProject) {
  if (project.name === "int-pglite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acp-pglite-template-"));
    await deploy({ DATABASE_URL: "", PGLITE_DIR: dir });
    project.provide("pgliteTemplate", dir);
    return () => fs.rmSync(dir, { recursive: true, force: true });
  }
  if (project.name === "int-postgres") {
    const server = testPgServerUrl();
    const name = `acp_template_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: server, connectionTimeoutMillis: 5000 });
    try {
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
    } catch {
      await admin.end().catch(() => undefined);
      return;
    }
    const url = new URL(server);
    url.pathname = `/${name}`;
    await deploy({ DATABASE_URL: url.toString() });
    project.provide("postgresTemplate", name);
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    };
  }
}
