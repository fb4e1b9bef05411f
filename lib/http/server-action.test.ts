import fs from "node:fs";
import path from "node:path";
import { redirect } from "next/navigation";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { DomainError } from "@/lib/domain/errors";
import { formText, jsonField } from "./action-result";

// The session and the request are the outside world here: who is calling, and from which page.
const session = vi.hoisted(() => ({
  requireSessionActor: vi.fn(),
  requestMeta: vi.fn(async () => ({ requestId: "req-1", ip: null })),
}));
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("@/lib/auth/session", () => session);
vi.mock("next/headers", () => ({ headers: async () => request.headers }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const { revalidatePath } = await import("next/cache");
const { action, isBuiltAction, postAction } = await import("./server-action");

const ORIGIN = "http://127.0.0.1:3000";
const actor = { type: "user", id: "u1", label: "a@acp.local", role: "admin", teamIds: [], sessionId: "s1" };
const form = (fields: Record<string, string> = {}) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};
/** The URL a redirect error sends to, or the error itself. */
const redirectedTo = async (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err) => (String(err?.digest).startsWith("NEXT_REDIRECT;") ? err.digest.split(";")[2] : Promise.reject(err)),
  );

beforeEach(() => {
  vi.clearAllMocks();
  request.headers = new Headers({ host: "127.0.0.1:3000", origin: ORIGIN, "sec-fetch-site": "same-origin" });
  session.requireSessionActor.mockResolvedValue(actor);
});

describe("server actions (lib/http/server-action.ts)", () => {
  const run = vi.fn(async (_actor: unknown, input: { name: string }, _meta: unknown, id: string, _slug?: string) => ({
    id,
    name: input.name,
  }));
  const create = action({
    args: [z.string(), z.string()],
    input: (f) => ({ name: formText(f, "name") }),
    run,
    revalidate: (_, _id, slug) => [`/things/${slug}`],
    reply: (thing) => ({ ok: true, message: `Made ${thing.name}.`, data: thing }),
  });

  it("authenticate before anything else: a caller without a session is sent to sign-in and never reaches run", async () => {
    session.requireSessionActor.mockImplementation(async () => redirect("/sign-in"));
    const input = vi.fn();
    const guarded = action({ args: [z.string()], input, run });
    expect(await redirectedTo(guarded("x", { ok: true }, form({ name: "n" })))).toBe("/sign-in");
    expect(await redirectedTo(create("x", "slug", { ok: true }, form({ name: "n" })))).toBe("/sign-in");
    expect(input).not.toHaveBeenCalled();
    expect(run).not.toHaveBeenCalled();
    expect(revalidatePath).not.toHaveBeenCalled();
  });

  it("let only the change-password action run for a person holding a one-time password", async () => {
    await create("x", "slug", { ok: true }, form());
    expect(session.requireSessionActor).toHaveBeenLastCalledWith({ passwordChange: undefined });
    await action({ passwordChange: true, run: async () => {} })({ ok: true }, form());
    expect(session.requireSessionActor).toHaveBeenLastCalledWith({ passwordChange: true });
  });

  it("refuse a post from another site before reading the session", async () => {
    const refused: Record<string, string>[] = [
      { host: "127.0.0.1:3000", origin: "https://evil.example" },
      { host: "127.0.0.1:3000", origin: ORIGIN, "sec-fetch-site": "cross-site" },
      { host: "127.0.0.1:3000" },
    ];
    for (const headers of refused) {
      request.headers = new Headers(headers);
      const state = await create("x", "slug", { ok: true }, form({ name: "n" }));
      expect(state).toMatchObject({ ok: false, message: expect.stringContaining("Cross-site request refused") });
    }
    const post = postAction({ args: [z.string()], run, failure: (m, slug) => `/things/${slug}?e=${m.length}` });
    expect(await redirectedTo(post("s", form()))).toMatch(/^\/things\/s\?e=\d+$/);
    expect(session.requireSessionActor).not.toHaveBeenCalled();
    expect(run).not.toHaveBeenCalled();
  });

  it("call run with the actor, the form read by input, the request metadata and the bound arguments", async () => {
    const state = await create("t1", "my-thing", { ok: true }, form({ name: "Widget" }));
    expect(run).toHaveBeenCalledWith(actor, { name: "Widget" }, { requestId: "req-1", ip: null }, "t1", "my-thing");
    expect(state).toEqual({ ok: true, message: "Made Widget.", data: { id: "t1", name: "Widget" } });
    expect(revalidatePath).toHaveBeenCalledWith("/things/my-thing");
  });

  it("answer { ok: true } or the reply message when no reply is built", async () => {
    expect(await action({ run: async () => 1 })({ ok: true }, form())).toEqual({ ok: true });
    expect(await action({ run: async () => 1, reply: "Done." })({ ok: true }, form())).toEqual({
      ok: true,
      message: "Done.",
    });
  });

  it("refuse bound arguments their schemas reject, or text with a lone surrogate, without running", async () => {
    const refused = [
      await create(42 as unknown as string, "slug", { ok: true }, form({ name: "n" })),
      await create("t1", "bad\ud800", { ok: true }, form({ name: "n" })),
      // PostgreSQL cannot store NUL: refused as a field error, not a crash in the database.
      await create("t1", "slug", { ok: true }, form({ name: "a\u0000b" })),
    ];
    expect(refused.map((s) => s.ok)).toEqual([false, false, false]);
    expect(refused[1].fieldErrors).toEqual({ "argument 2": ["contains an unpaired surrogate"] });
    expect(refused[2].fieldErrors).toEqual({ name: ["contains a NUL character"] });
    expect(run).not.toHaveBeenCalled();
  });

  it("answer what the form reader refuses (e.g. bad JSON) as a field error, without running", async () => {
    const runJson = vi.fn(async () => {});
    const state = await action({ input: (f) => jsonField(f.get("extra"), "extra"), run: runJson })(
      { ok: true },
      form({ extra: "{nope" }),
    );
    expect(state).toMatchObject({ ok: false, fieldErrors: { extra: ["must be valid JSON"] } });
    expect(runJson).not.toHaveBeenCalled();
  });

  it("answer a refused command with its message and field errors, an unexpected error with a generic message", async () => {
    run.mockRejectedValueOnce(new DomainError("validation", "validation_failed", "Bad.", { name: ["too long"] }));
    expect(await create("t1", "slug", { ok: true }, form({ name: "n" }))).toEqual({
      ok: false,
      message: "Bad.",
      code: "validation_failed",
      fieldErrors: { name: ["too long"] },
    });
    run.mockRejectedValueOnce(new Error("connection reset"));
    expect(await create("t1", "slug", { ok: true }, form({ name: "n" }))).toEqual({
      ok: false,
      message: "Something went wrong on our side. Please try again.",
    });
    expect(revalidatePath).not.toHaveBeenCalled();
  });

  it("redirect after success, and send a refused plain-form post to its failure page with the message", async () => {
    const go = action({ run: async () => ({ id: "b1" }), redirect: (b) => `/budgets/${b.id}?created=1` });
    expect(await redirectedTo(go({ ok: true }, form()))).toBe("/budgets/b1?created=1");
    const remove = postAction({
      args: [z.string()],
      run: async () => {
        throw new DomainError("forbidden", "forbidden", "Only admins can do this");
      },
      failure: (message, slug) => `/agents/${String(slug)}?actionError=${encodeURIComponent(message)}`,
    });
    expect(await redirectedTo(remove("a1", form()))).toBe("/agents/a1?actionError=Only%20admins%20can%20do%20this");
    expect(await postAction({ run: async () => {}, failure: () => "/" })(form())).toBeUndefined();
  });
});

/** The files under app/ marked "use server": each export is a server action, a public POST endpoint. */
function serverActionFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return serverActionFiles(p);
    return /\.tsx?$/.test(e.name) && /^["']use server["']/m.test(fs.readFileSync(p, "utf8")) ? [p] : [];
  });
}

describe("every server action in app/", () => {
  const files = serverActionFiles(path.join(process.cwd(), "app"));

  it("is built by the factory, so it authenticates first", { timeout: 60_000 }, async () => {
    const exported = (
      await Promise.all(
        files.map(async (file) =>
          Object.entries(await import(file)).map(([name, value]) => ({
            name: `${path.relative(process.cwd(), file)}: ${name}`,
            value,
          })),
        ),
      )
    ).flat();
    expect(exported.length).toBeGreaterThanOrEqual(35);
    expect(exported.filter((e) => !isBuiltAction(e.value)).map((e) => e.name)).toEqual([]);
  });

  it("reads form fields through the checked helpers (lone surrogates refused), never String(form.get(…))", () => {
    const offenders = files
      .filter((f) => /String\((form|f)\.get\(|\.getAll\(/.test(fs.readFileSync(f, "utf8")))
      .map((f) => path.relative(process.cwd(), f));
    expect(offenders).toEqual([]);
  });
});

describe("a domain error's details", () => {
  it("become field errors only where they are messages per field", async () => {
    const { actionError } = await import("./action-result");
    const gate = new DomainError("conflict", "eval_gate_failed", "Version 2 cannot go to prod", {
      environment: "prod",
      suites: [{ suite: "safety", status: "missing" }],
    });
    expect(actionError(gate)).toEqual({ ok: false, message: "Version 2 cannot go to prod", code: "eval_gate_failed" });
    const field = new DomainError("validation", "validation_failed", "Unknown team", { teamId: ["no such team"] });
    expect(actionError(field)).toEqual({
      ok: false,
      message: "Unknown team",
      code: "validation_failed",
      fieldErrors: { teamId: ["no such team"] },
    });
  });
});
