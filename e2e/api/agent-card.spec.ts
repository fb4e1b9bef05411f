import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { tokenFor, uniqueSlug } from "../fixtures";

// A2A v1.0 agent cards through the API: import, serve, remove; a card's skills as rule resources for runtime calls.

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const sample = JSON.parse(fs.readFileSync(path.join("lib/domain/agents/a2a-sample-card.json"), "utf8"));

test("an admin imports an agent's A2A card; it is served by slug; skills are resources a peer's rules decide", async ({
  request,
  browser,
}) => {
  const [admin, viewer] = await Promise.all([tokenFor(browser, "admin"), tokenFor(browser, "viewer")]);
  const teamId = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers: bearer(admin) })).json()).items[0]
    .teamId;
  const register = async (slug: string, extra: object = {}) => {
    const res = await request.post("/api/v1/agents", {
      headers: bearer(admin),
      data: { slug, name: slug, teamId, environment: "dev", config: { model: "gpt-5" }, ...extra },
    });
    expect(res.status()).toBe(201);
    return res.json();
  };
  const geo = await register(uniqueSlug("geo"));
  const cardUrl = `/api/v1/agents/${geo.slug}/agent-card.json`;
  expect((await request.get(cardUrl, { headers: bearer(viewer) })).status()).toBe(404);
  expect((await request.put(cardUrl, { headers: bearer(viewer), data: sample })).status()).toBe(403);
  const v03 = { ...sample, url: "https://x.example.com", supportedInterfaces: undefined };
  const refused = await request.put(cardUrl, { headers: bearer(admin), data: v03 });
  expect(refused.status()).toBe(422);
  expect(JSON.stringify(await refused.json())).toContain("v0.3");
  expect((await request.put(cardUrl, { headers: bearer(admin), data: { ...sample, skills: [{}] } })).status()).toBe(
    422,
  );
  expect((await request.get(cardUrl, { headers: bearer(viewer) })).status()).toBe(404);

  const put = await request.put(cardUrl, { headers: bearer(admin), data: sample });
  expect(put.status()).toBe(200);
  const served = await request.get(cardUrl, { headers: bearer(viewer) });
  expect(served.status()).toBe(200);
  expect(await served.json()).toEqual(sample);

  // A peer allowed one of its skills: the runtime asks for a2a:send on a2a:<agent>/<skill>.
  const caller = await register(uniqueSlug("caller"));
  expect(
    (
      await request.post(`/api/v1/agents/${caller.id}/permissions`, {
        headers: bearer(admin),
        data: { effect: "allow", action: "a2a:send", resource: `a2a:${geo.slug}/route-*` },
      })
    ).status(),
  ).toBe(201);
  const key = await (
    await request.post(`/api/v1/agents/${caller.id}/keys`, { headers: bearer(admin), data: { name: "a2a" } })
  ).json();
  const ask = async (skill: string) =>
    (
      await (
        await request.post("/api/v1/runtime/authorize", {
          headers: bearer(key.token),
          data: { action: "a2a:send", resource: `a2a:${geo.slug}/${skill}` },
        })
      ).json()
    ).decision;
  expect(await ask("route-optimizer-traffic")).toBe("allow");
  expect(await ask("custom-map-generator")).toBe("deny");

  const audit = await (
    await request.get(`/api/v1/audit/events?action=agent.&targetId=${geo.id}`, { headers: bearer(admin) })
  ).json();
  expect(audit.items.map((e: { action: string }) => e.action)).toEqual(["agent.card_set", "agent.registered"]);
  expect((await request.delete(cardUrl, { headers: bearer(admin) })).status()).toBe(200);
  expect((await request.get(cardUrl, { headers: bearer(admin) })).status()).toBe(404);
  expect((await request.delete(cardUrl, { headers: bearer(admin) })).status()).toBe(404);
});
