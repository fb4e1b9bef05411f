import { expect, test } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { AcpRuntimeClient } from "../../lib/sdk/client";
import { tokenFor, uniqueSlug } from "../fixtures";

test("a catalogued resource classifies calls for rules, and its lineage says who touched it for whom (JSON and CSV); a person's page too", async ({
  request,
  browser,
  baseURL,
}) => {
  const admin = await tokenFor(browser, "admin");
  const viewer = await tokenFor(browser, "viewer");
  const headers = { Authorization: `Bearer ${admin}` };
  const teamId = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers })).json()).items[0].teamId;
  const slug = uniqueSlug("crm");
  const agent = await (
    await request.post("/api/v1/agents", {
      headers,
      data: { slug, name: "CRM helper", teamId, environment: "dev", config: { model: "gpt-5-mini" } },
    })
  ).json();
  const key = await (await request.post(`/api/v1/agents/${agent.id}/keys`, { headers, data: { name: "rt" } })).json();
  const sdk = new AcpRuntimeClient({ baseUrl: baseURL!, agentKey: key.token, retryBaseMs: 10 });
  const rule = (data: object) => request.post(`/api/v1/agents/${agent.id}/permissions`, { headers, data });
  expect(
    (await rule({ effect: "deny", action: "data:export", resource: "*", classification: "personal" })).status(),
  ).toBe(201);
  expect((await rule({ effect: "allow", action: "data:*", resource: `db:${slug}/*` })).status()).toBe(201);
  expect((await rule({ effect: "allow", action: "data:read", resource: "*", classification: "secret" })).status()).toBe(
    422,
  );

  // Catalogue: admins only, classification from the list, name and pattern unique.
  const entry = {
    name: `Customers ${slug}`,
    pattern: `db:${slug}/customers*`,
    kind: "dataset",
    classification: "personal",
  };
  const create = (data: object, h = headers) => request.post("/api/v1/resources", { headers: h, data });
  expect((await create(entry, { Authorization: `Bearer ${viewer}` })).status()).toBe(403);
  expect((await create({ ...entry, classification: "secret" })).status()).toBe(422);
  const created = await create(entry);
  expect(created.status()).toBe(201);
  const resource = await created.json();
  const dup = await create({ ...entry, name: `${entry.name} again` });
  expect(dup.status()).toBe(409);
  expect((await dup.json()).error.code).toBe("resource_exists");

  // The agent exports a customer record for alice: refused (personal data); a plain read is allowed.
  const alice = `alice-${slug}@example.com`;
  const exported = await sdk.authorize({
    action: "data:export",
    resource: `db:${slug}/customers/7`,
    onBehalfOf: alice,
  });
  expect(exported).toMatchObject({ decision: "deny", code: "rule_denied" });
  for (let i = 0; i < 3; i++)
    expect(
      (await sdk.authorize({ action: "data:read", resource: `db:${slug}/customers/7`, onBehalfOf: alice })).decision,
    ).toBe("allow");
  await sdk.authorize({ action: "data:read", resource: `db:${slug}/orders/1`, context: { onBehalfOf: alice } });
  await sdk.authorize({ action: "data:read", resource: `db:${slug}/Customers/8` });

  // Who touched it: 5 calls on the customers (case ignored), by one agent, for one person.
  const lineage = await (await request.get(`/api/v1/resources/${resource.id}/lineage`, { headers })).json();
  expect(lineage.lineage).toMatchObject({ calls: 5, agents: 1, people: 1 });
  expect(lineage.lineage.groups).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        agentSlug: slug,
        resource: `db:${slug}/customers/7`,
        onBehalfOf: alice,
        decision: "allow",
        calls: 3,
        versionNumber: 1,
        rule: expect.stringContaining("allow data:*"),
      }),
      expect.objectContaining({
        onBehalfOf: alice,
        decision: "deny",
        calls: 1,
        rule: expect.stringContaining("(personal only)"),
      }),
      expect.objectContaining({ resource: `db:${slug}/Customers/8`, onBehalfOf: null, calls: 1 }),
    ]),
  );
  // A viewer reads the same calls and how many people, not who they are (personal data).
  const viewed = await (
    await request.get(`/api/v1/resources/${resource.id}/lineage`, { headers: { Authorization: `Bearer ${viewer}` } })
  ).json();
  expect(viewed.lineage).toMatchObject({ calls: 5, agents: 1, people: 1 });
  expect(viewed.lineage.groups.map((g: { onBehalfOf: string | null }) => g.onBehalfOf)).not.toContain(alice);
  const csvRes = await request.get(`/api/v1/resources/${resource.id}/lineage/export`, { headers });
  expect(csvRes.headers()["content-type"]).toContain("text/csv");
  const rows = parse(await csvRes.text(), { columns: true }) as Record<string, string>[];
  expect(rows).toHaveLength(5);
  expect(rows.filter((r) => r.on_behalf_of === alice && r.decision === "allow")).toHaveLength(3);

  // What agents did for alice, whatever the resource; a bad period is a 422, an unknown resource a 404.
  const forAlice = await (
    await request.get(`/api/v1/lineage?onBehalfOf=${encodeURIComponent(alice)}`, { headers })
  ).json();
  expect(forAlice.lineage).toMatchObject({ calls: 5, people: 1 });
  const aliceCsv = parse(
    await (await request.get(`/api/v1/lineage/export?onBehalfOf=${encodeURIComponent(alice)}`, { headers })).text(),
    { columns: true },
  );
  expect(aliceCsv).toHaveLength(5);
  expect((await request.get("/api/v1/lineage?onBehalfOf=", { headers })).status()).toBe(422);
  expect(
    (await request.get(`/api/v1/resources/${resource.id}/lineage?from=2026-02-01&to=2026-01-01`, { headers })).status(),
  ).toBe(422);
  expect(
    (await request.get("/api/v1/resources/00000000-0000-7000-8000-000000000000/lineage", { headers })).status(),
  ).toBe(404);

  // The agent's touched resources, under their catalogue entries.
  const touched = await (await request.get(`/api/v1/agents/${agent.id}/resources`, { headers })).json();
  expect(touched.items[0]).toMatchObject({
    resource: `db:${slug}/customers/7`,
    calls: 4,
    allowed: 3,
    people: 1,
    catalogued: { id: resource.id, classification: "personal" },
  });
  expect(touched.items.find((i: { resource: string }) => i.resource === `db:${slug}/orders/1`).catalogued).toBeNull();

  // Archived, it classifies nothing: the export is allowed now, and the change is audited.
  const archived = await request.patch(`/api/v1/resources/${resource.id}`, { headers, data: { archived: true } });
  expect((await archived.json()).archivedAt).not.toBeNull();
  expect((await sdk.authorize({ action: "data:export", resource: `db:${slug}/customers/7` })).decision).toBe("allow");
  const audit = await (await request.get(`/api/v1/audit/events?targetId=${resource.id}`, { headers })).json();
  expect(audit.items.map((e: { action: string }) => e.action).sort()).toEqual(["resource.created", "resource.updated"]);
});
