/**
 * The README's description of the audit hash, re-implemented independently (node:crypto and canonicalize only,
 * nothing from the server's hash code), checked against the README's test vector and against the server.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import canonicalize from "canonicalize";
import { describe, expect, it } from "vitest";
import { auditHash } from "./hash";

const README = fs.readFileSync(path.join(import.meta.dirname, "../../../README.md"), "utf8");
const SECTION = README.slice(README.indexOf("## The audit hash, exactly"));

/** The members, read from the README's table (first column: one or more `name`s per row). */
const MEMBERS = (() => {
  const table = SECTION.slice(SECTION.indexOf("| member |"), SECTION.indexOf("\n\n", SECTION.indexOf("| member |")));
  return table
    .split("\n")
    .slice(2)
    .flatMap((row) => [...(row.split("|")[1] ?? "").matchAll(/`([a-zA-Z]+)`/g)].map((m) => m[1]));
})();

it("the README's table names the 17 hashed members", () => expect(MEMBERS).toHaveLength(17));

/** As the README says: these 17 members and no others, from the item as it is, RFC 8785, SHA-256, hex. */
function readmeHash(item: Record<string, unknown>): string {
  expect(Object.keys(item).sort()).toEqual([...MEMBERS, "hash"].sort());
  expect(typeof item.position).toBe("string");
  expect(item.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const hashed = Object.fromEntries(MEMBERS.map((m) => [m, item[m]]));
  return createHash("sha256").update(canonicalize(hashed)!, "utf8").digest("hex");
}

function readmeVector(): Record<string, unknown> {
  const block = /A test vector[^\n]*\n\n```json\n(.+)\n```/.exec(SECTION);
  expect(block, "the README's test vector").not.toBeNull();
  return JSON.parse(block![1]);
}

describe("the audit hash as the README documents it", () => {
  it("reproduces the README's test vector from its description alone", () => {
    const item = readmeVector();
    expect(readmeHash(item)).toBe(item.hash);
  });

  it("agrees with the server's hash function, and any change to a hashed member changes it", () => {
    const item = readmeVector();
    const { hash, ...hashed } = item;
    expect(auditHash(hashed as never)).toBe(hash);
    expect(readmeHash({ ...item, position: "43" })).not.toBe(hash);
    expect(readmeHash({ ...item, after: { ...(item.after as object), note: "cafe" } })).not.toBe(hash);
    expect(readmeHash({ ...item, prevHash: "0".repeat(64) })).not.toBe(hash);
  });
});
