import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Server actions are public POST endpoints. Every exported action must establish who is calling
 * (requireSessionActor) before doing anything else; what that person may do is then decided by the same
 * lib/domain functions the API uses, which the role-matrix test exercises route by route.
 */
function serverActionFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return serverActionFiles(p);
    return /\.tsx?$/.test(e.name) && /^["']use server["']/m.test(fs.readFileSync(p, "utf8")) ? [p] : [];
  });
}

describe("server actions", () => {
  const files = serverActionFiles(path.join(process.cwd(), "app"));
  const actions = files.flatMap((file) => {
    const src = fs.readFileSync(file, "utf8");
    return [...src.matchAll(/export async function (\w+)\([^)]*\)[^{]*\{\n([^\n]*)/g)].map((m) => ({ file: path.relative(process.cwd(), file), name: m[1], firstLine: m[2].trim() }));
  });

  it("exist (the scan finds them)", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(actions.length).toBeGreaterThanOrEqual(25);
  });

  it("each authenticates the caller first", () => {
    // Only the change-password page's action may run for a person who still holds a one-time password.
    const allowed = (a: { file: string }) => ["const actor = await requireSessionActor();", ...(a.file.startsWith(path.join("app", "(auth)", "change-password")) ? ["const actor = await requireSessionActor({ passwordChange: true });"] : [])];
    const offenders = actions.filter((a) => !allowed(a).includes(a.firstLine)).map((a) => `${a.file}: ${a.name}`);
    expect(offenders).toEqual([]);
  });
});
