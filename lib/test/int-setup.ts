/**
 * Integration tests run against a real, freshly migrated database per test file: a temporary PGlite folder,
 * or a new database on the PostgreSQL server at TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { disconnectDb } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrate";

const mode = process.env.ACP_TEST_DB;
let cleanup: () => Promise<void> = async () => {};

export const testPgServerUrl = () => process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

beforeAll(async () => {
  if (mode === "postgres") {
    const server = testPgServerUrl();
    const name = `acp_test_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
    delete process.env.PGLITE_DIR;
    await deployMigrations({ kind: "postgres", url: url.toString() });
    cleanup = async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acp-pglite-"));
    delete process.env.DATABASE_URL;
    process.env.PGLITE_DIR = dir;
    await deployMigrations({ kind: "pglite", dataDir: dir });
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
});

afterAll(async () => {
  await disconnectDb();
  await cleanup();
});
