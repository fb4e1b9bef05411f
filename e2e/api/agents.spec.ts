import { expect, test } from "@playwright/test";
import { tokenFor, uniqueSlug } from "../fixtures";

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

test("without credentials the API answers 401 with the error envelope", async ({ request }) => {
  const res = await request.get("/api/v1/agents");
  expect(res.status()).toBe(401);
  expect((await res.json()).error.code).toBe("unauthenticated");
  const bad = await request.get("/api/v1/agents", { headers: auth("acp_pat_deadbeef_nope") });
  expect(bad.status()).toBe(401);
});

test("a viewer can list but not register (403, nothing written)", async ({ request, browser }) => {
  const token = await tokenFor(browser, "viewer");
  const list = await request.get("/api/v1/agents?limit=5", { headers: auth(token) });
  expect(list.status()).toBe(200);
  const body = await list.json();
  expect(body.items).toHaveLength(5);
  expect(body.nextCursor).toEqual(expect.any(String));
  const next = await (
    await request.get(`/api/v1/agents?limit=5&cursor=${body.nextCursor}`, { headers: auth(token) })
  ).json();
  expect(next.items).toHaveLength(5);
  // Sorted by name (the database's collation), then slug: the next page never repeats an agent of the first.
  const seen = new Set(body.items.map((a: { slug: string }) => a.slug));
  expect(next.items.filter((a: { slug: string }) => seen.has(a.slug))).toEqual([]);

  const slug = uniqueSlug("viewer-try");
  const teamId = body.items[0].teamId;
  const res = await request.post("/api/v1/agents", {
    headers: auth(token),
    data: { slug, name: "x", teamId, environment: "dev", config: { model: "gpt-5" } },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe("forbidden");
  const after = await (await request.get(`/api/v1/agents?q=${slug}`, { headers: auth(token) })).json();
  expect(after.items).toHaveLength(0);
});

test("an admin registers, reads and edits agents; bad input gets 422 with field errors and writes nothing", async ({
  request,
  browser,
}) => {
  const token = await tokenFor(browser, "admin");
  const teamId = (await (await request.get("/api/v1/agents?limit=1", { headers: auth(token) })).json()).items[0].teamId;
  const slug = uniqueSlug("api-agent");

  const invalid = await request.post("/api/v1/agents", {
    headers: auth(token),
    data: { slug: "Bad Slug", name: "", teamId, environment: "qa", config: {} },
  });
  expect(invalid.status()).toBe(422);
  const err = (await invalid.json()).error;
  expect(err.code).toBe("validation_failed");
  expect(Object.keys(err.details).sort()).toEqual(["config.model", "environment", "name", "slug"]);

  const notJson = await request.post("/api/v1/agents", {
    headers: { ...auth(token), "content-type": "application/json" },
    data: Buffer.from("{oops"),
  });
  expect(notJson.status()).toBe(422);
  expect((await notJson.json()).error.code).toBe("invalid_json");

  const created = await request.post("/api/v1/agents", {
    headers: auth(token),
    data: {
      slug,
      name: "API agent",
      teamId,
      environment: "staging",
      config: { model: "claude-sonnet-4-5", tools: ["github.search"] },
    },
  });
  expect(created.status()).toBe(201);
  const agent = await created.json();
  expect(agent).toMatchObject({
    slug,
    name: "API agent",
    environment: "staging",
    status: "active",
    deployedVersion: 1,
  });

  const dup = await request.post("/api/v1/agents", {
    headers: auth(token),
    data: { slug, name: "again", teamId, environment: "prod", config: { model: "gpt-5" } },
  });
  expect(dup.status()).toBe(409);
  expect((await dup.json()).error.code).toBe("slug_taken");

  const fetched = await request.get(`/api/v1/agents/${agent.id}`, { headers: auth(token) });
  expect((await fetched.json()).slug).toBe(slug);
  const bySlug = await request.get(`/api/v1/agents/${slug}`, { headers: auth(token) });
  expect((await bySlug.json()).id).toBe(agent.id);

  const patched = await request.patch(`/api/v1/agents/${agent.id}`, {
    headers: auth(token),
    data: { name: "API agent v2" },
  });
  expect(patched.status()).toBe(200);
  expect((await patched.json()).name).toBe("API agent v2");
  const badPatch = await request.patch(`/api/v1/agents/${agent.id}`, {
    headers: auth(token),
    data: { status: "retired" },
  });
  expect(badPatch.status()).toBe(422);

  expect((await request.get("/api/v1/agents/does-not-exist", { headers: auth(token) })).status()).toBe(404);

  const verify = await (await request.get("/api/v1/audit/verify", { headers: auth(token) })).json();
  expect(verify).toMatchObject({ intact: true, break: null });
});

test("team lead tokens are scoped to their team", async ({ request, browser }) => {
  const token = await tokenFor(browser, "team_lead");
  const list = await (await request.get("/api/v1/agents?limit=100", { headers: auth(token) })).json();
  // Other tests add agents to Support as they run: every listed agent is Support's, the seeded ones among them.
  const slugs = list.items.map((a: { slug: string }) => a.slug);
  expect(slugs).toEqual(expect.arrayContaining(["support-kb-writer", "support-reply-drafter", "support-triage"]));
  const supportTeam = list.items.find((a: { slug: string }) => a.slug === "support-triage").teamId;
  expect(list.items.every((a: { teamId: string }) => a.teamId === supportTeam)).toBe(true);
  expect(slugs).not.toContain("code-reviewer");
  expect((await request.get("/api/v1/agents/code-reviewer", { headers: auth(token) })).status()).toBe(404);
  expect((await request.get("/api/v1/audit/verify", { headers: auth(token) })).status()).toBe(403);
});
