import { describe, expect, it } from "vitest";
import { dbTarget } from "./config";
import { timestampName } from "./migrate";

describe("migration names and targets", () => {
  it("timestamps and slugs a migration name", () => {
    expect(timestampName("Add budgets!", new Date("2026-11-25T12:34:56Z"))).toBe("20261125123456_add_budgets");
    expect(() => timestampName("  !! ")).toThrow(/--name/);
  });

  it("uses PostgreSQL only for postgresql:// URLs, else the embedded folder", () => {
    expect(dbTarget({ DATABASE_URL: "postgresql://u@h/db" })).toEqual({ kind: "postgres", url: "postgresql://u@h/db" });
    expect(dbTarget({ PGLITE_DIR: "/x" })).toEqual({ kind: "pglite", dataDir: "/x" });
    expect(() => dbTarget({ DATABASE_URL: "mysql://h/db" })).toThrow(/postgresql/);
  });
});
