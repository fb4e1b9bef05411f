/**
 * Integration tests run against a real, freshly migrated database per test file: a temporary PGlite folder,
 * or a new database on the PostgreSQL server at TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres),
 * each a copy of the project's migrated template (lib/test/int-global.ts) when there is one.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { disconnectDb } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrate";
import { testPgServerUrl } from "./int-global";

const mode = process.env.ACP_TEST_DB;
let cleanup: () => Promise<void> = async () => {};

beforeAll(async () => {
  if (mode === "postgres") {
    const server = testPgServerUrl();
    const name = `acp_test_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    const template = inject("postgresTemplate");
    await admin.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
    delete process.env.PGLITE_DIR;
    if (!template) await deployMigrations({ kind: "postgres", url: url.toString() });
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
    const template = inject("pgliteTemplate");
    if (template) fs.cpSync(template, dir, { recursive: true });
    else await deployMigrations({ kind: "pglite", dataDir: dir });
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
});

afterAll(async () => {
  await disconnectDb();
  await cleanup();
});
