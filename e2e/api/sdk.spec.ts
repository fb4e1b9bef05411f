import { expect, test } from "@playwright/test";
import { AcpError, AcpRuntimeClient } from "../../lib/sdk/client";
import { tokenFor, uniqueSlug } from "../fixtures";

test("the runtime SDK caches config by ETag, authorizes, and retries usage without double counting", async ({
  request,
  browser,
  baseURL,
}) => {
  const admin = await tokenFor(browser, "admin");
  const headers = { Authorization: `Bearer ${admin}` };
  const teamId = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers })).json()).items[0].teamId;
  const agent = await (
    await request.post("/api/v1/agents", {
      headers,
      data: { slug: uniqueSlug("sdk"), name: "SDK agent", teamId, environment: "dev", config: { model: "gpt-5-mini" } },
    })
  ).json();
  await request.post(`/api/v1/agents/${agent.id}/permissions`, {
    headers,
    data: { effect: "allow", action: "model:use", resource: "gpt-5*" },
  });
  const key = await (await request.post(`/api/v1/agents/${agent.id}/keys`, { headers, data: { name: "sdk" } })).json();

  // A flaky network: the first usage POST reaches the server but its answer is lost.
  let dropped = false;
  const flakyFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (!dropped && String(input).endsWith("/runtime/usage")) {
      dropped = true;
      throw new TypeError("socket hang up");
    }
    return res;
  };
  const acp = new AcpRuntimeClient({ baseUrl: baseURL!, agentKey: key.token, fetch: flakyFetch, retryBaseMs: 10 });

  const first = await acp.getConfig();
  expect(first).toMatchObject({ fromCache: false, config: { model: "gpt-5-mini" } });
  expect((await acp.getConfig()).fromCache).toBe(true);

  const d = await acp.authorize({ action: "model:use", resource: "gpt-5-mini", estimatedCostUsd: 0.01 });
  expect(d.decision).toBe("allow");
  acp.recordUsage({ model: "gpt-5-mini", inputTokens: 1000, outputTokens: 100, decisionId: d.decisionId });
  acp.recordUsage({ model: "gpt-5-mini", inputTokens: 2000, outputTokens: 200 });
  const result = await acp.flush();
  expect(dropped).toBe(true);
  // The retry resent the same ids: the server had already recorded them, so they count as duplicates, not twice.
  expect(result).toMatchObject({ accepted: 0, duplicates: 2 });
  expect(acp.pending).toBe(0);

  const bad = new AcpRuntimeClient({ baseUrl: baseURL!, agentKey: "acp_ak_nope" });
  await expect(bad.getConfig()).rejects.toBeInstanceOf(AcpError);
});
