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
    return [...src.matchAll(/export async function (\w+)\([^)]*\)[^{]*\{\n([^\n]*)\n([\s\S]*?)\n\}\n/g)].map((m) => ({
      file: path.relative(process.cwd(), file),
      name: m[1],
      firstLine: m[2].trim(),
      rest: m[3],
    }));
  });

  it("exist (the scan finds them)", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(actions.length).toBeGreaterThanOrEqual(25);
  });

  it("each authenticates the caller first", () => {
    // Only the change-password page's action may run for a person who still holds a one-time password.
    const allowed = (a: { file: string }) => [
      "const actor = await requireSessionActor();",
      ...(a.file.startsWith(path.join("app", "(auth)", "change-password"))
        ? ["const actor = await requireSessionActor({ passwordChange: true });"]
        : []),
    ];
    const offenders = actions.filter((a) => !allowed(a).includes(a.firstLine)).map((a) => `${a.file}: ${a.name}`);
    expect(offenders).toEqual([]);
  });

  // A refused caller (a viewer posting to an admin action, a deleted id) must get the form's error state or a
  // redirect with the message, not an exception: an escaped DomainError renders the error page as a 500.
  it("never let a domain error escape: every call after authentication is inside try/catch", () => {
    const guarded = (rest: string) =>
      (/^\s*try \{/m.test(rest) && /\} catch \(err\) \{/.test(rest)) || /^\s*return run\(/.test(rest); // run(): try/catch
    const offenders = actions.filter((a) => !guarded(a.rest)).map((a) => `${a.file}: ${a.name}`);
    expect(offenders).toEqual([]);
  });

  it("read form fields through the checked helpers (lone surrogates refused), never String(form.get(…))", () => {
    const offenders = files
      .filter((f) => /String\((form|f)\.get\(|\.getAll\(/.test(fs.readFileSync(f, "utf8")))
      .map((f) => path.relative(process.cwd(), f));
    expect(offenders).toEqual([]);
  });
});
