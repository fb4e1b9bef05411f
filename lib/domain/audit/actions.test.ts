import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_NAMES, AUDIT_ACTIONS, AUDIT_AREA_FILTERS, AUDIT_AREAS, auditActionGroups } from "./actions";
import { AuditListQuerySchema } from "./schemas";
import type { writeAuditEvent } from "./write-audit-event";

const root = path.resolve(import.meta.dirname, "../../..");
const sources = ["app", "lib", "prisma", "scripts"]
  .flatMap((dir) =>
    fs.readdirSync(path.join(root, dir), { recursive: true }).map((f) => path.join(root, dir, String(f))),
  )
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.ts$|lib\/db\/generated|audit\/actions\.ts$/.test(f));

describe("audit action catalogue", () => {
  it("lists every action written with a literal (including raw inserts that bypass writeAuditEvent)", () => {
    const written = sources.flatMap((f) =>
      [...fs.readFileSync(f, "utf8").matchAll(/\baction: [^,;]*?"([a-z_]+\.[a-z_]+)"/g)].map((m) => m[1]),
    );
    expect(written.length).toBeGreaterThan(30);
    for (const action of written) expect(AUDIT_ACTION_NAMES, action).toContain(action);
  });

  it("names actions area.verb, each area with a heading, labels unique", () => {
    for (const action of AUDIT_ACTION_NAMES) {
      expect(action).toMatch(/^[a-z_]+\.[a-z_]+$/);
      expect(Object.keys(AUDIT_AREAS)).toContain(action.split(".")[0]);
    }
    const labels = Object.values(AUDIT_ACTIONS).map((a) => a.label);
    expect(new Set(labels).size).toBe(labels.length);
    const groups = auditActionGroups();
    expect(groups.flatMap((g) => g.actions.map((a) => a.action)).sort()).toEqual([...AUDIT_ACTION_NAMES].sort());
    expect(groups.every((g) => g.actions.length > 0)).toBe(true);
  });

  it("filters by one action or a whole area; anything else is a field error", () => {
    for (const action of [...AUDIT_ACTION_NAMES, ...AUDIT_AREA_FILTERS]) {
      expect(AuditListQuerySchema.parse({ action }).action).toBe(action);
    }
    expect(AuditListQuerySchema.parse({ action: "" }).action).toBeUndefined();
    for (const action of ["rollback", "deployment", "deployment.r", "nope.", "user.*"]) {
      const parsed = AuditListQuerySchema.safeParse({ action });
      expect(parsed.success, action).toBe(false);
      expect(parsed.error?.issues[0].path).toEqual(["action"]);
    }
  });

  it("types writeAuditEvent: a catalogued action, with its own target type", () => {
    type Input = Parameters<typeof writeAuditEvent>[3];
    const ok: Input = { action: "deployment.rolled_back", targetType: "agent" };
    // @ts-expect-error not a catalogued action
    const typo: Input = { action: "deployment.rolledback", targetType: "agent" };
    // @ts-expect-error a rollback's target is the agent
    const mismatch: Input = { action: "deployment.rolled_back", targetType: "deployment_request" };
    expect([ok, typo, mismatch]).toHaveLength(3);
  });
});
