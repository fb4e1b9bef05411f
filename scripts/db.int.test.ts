import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPgServerUrl } from "@/lib/test/int-global";

// The migration command, run as people run it, against a database of its own (empty at first).
const mode = process.env.ACP_TEST_DB;
let env: NodeJS.ProcessEnv;
let drop: () => Promise<void>;

beforeAll(async () => {
  if (mode === "postgres") {
    const name = `acp_cli_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: testPgServerUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(testPgServerUrl());
    url.pathname = `/${name}`;
    env = { ...process.env, DATABASE_URL: url.toString(), PGLITE_DIR: "" };
    drop = async () => {
      const c = new pg.Client({ connectionString: testPgServerUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acp-cli-"));
    env = { ...process.env, DATABASE_URL: "", PGLITE_DIR: dir };
    drop = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
});
afterAll(() => drop());

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/db.ts", ...args], {
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
};

describe("db command", () => {
  it("reports status with exit codes, deploys, creates nothing when the schema matches, and resets", () => {
    const pending = run("status");
    expect(pending.code).toBe(1);
    expect(pending.out).toMatch(/pending: \d+_init/);

    expect(run("deploy")).toMatchObject({ code: 0 });
    expect(run("status")).toMatchObject({ code: 0 });
    expect(run("deploy").out).toMatch(/already up to date/);

    const create = run("create", "--name", "nothing");
    expect(create.code).toBe(0);
    expect(create.out).toMatch(/No schema changes/);
    expect(run("create").code).toBe(2);

    expect(run("reset").code).toBe(2); // refuses without --force
    const reset = run("reset", "--force");
    expect(reset.code).toBe(0);
    expect(run("status").code).toBe(0);
    expect(run("bogus").code).toBe(2);
  }, 300_000); // nine real CLI runs, each loading the Wasm engine
});

describe.runIf(mode !== "postgres")("db create", () => {
  it("writes a migration for a schema change that deploy then applies", () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "acp-create-"));
    try {
      fs.cpSync(path.join(process.cwd(), "prisma"), path.join(project, "prisma"), {
        recursive: true,
        filter: (src) => !src.endsWith(".ts"),
      });
      fs.appendFileSync(
        path.join(project, "prisma", "schema.prisma"),
        "\nmodel Scratch {\n  id   Int    @id\n  note String\n}\n",
      );
      const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
      const script = path.join(process.cwd(), "scripts", "db.ts");
      const sub = (...args: string[]) =>
        spawnSync(tsx, [script, ...args], {
          cwd: project,
          env: { ...env, DATABASE_URL: "", PGLITE_DIR: path.join(project, "data") },
          encoding: "utf8",
          timeout: 120_000,
        });
      const created = sub("create", "--name", "add scratch");
      expect(created.status).toBe(0);
      const dir = fs.readdirSync(path.join(project, "prisma", "migrations")).find((d) => d.endsWith("_add_scratch"));
      expect(dir).toBeDefined();
      expect(fs.readFileSync(path.join(project, "prisma", "migrations", dir!, "migration.sql"), "utf8")).toMatch(
        /CREATE TABLE "Scratch"/,
      );
      expect(sub("status").status).toBe(1);
      expect(sub("deploy").status).toBe(0);
      expect(sub("status").status).toBe(0);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  }, 300_000);
});
