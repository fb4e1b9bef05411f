import { expect, test } from "@playwright/test";
import { AcpError, AcpRuntimeClient } from "../../lib/sdk/client";
import { tokenFor, uniqueSlug } from "../fixtures";

test("two agents report usage linked to tasks and the tasks' outcomes: cost per outcome is exact; undefined or unlisted types get 422", async ({
  request,
  browser,
  baseURL,
}) => {
  const admin = await tokenFor(browser, "admin");
  const headers = { Authorization: `Bearer ${admin}` };
  const teamId = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers })).json()).items[0].teamId;
  const agent = async (name: string) => {
    const a = await (
      await request.post("/api/v1/agents", {
        headers,
        data: { slug: uniqueSlug(name), name, teamId, environment: "dev", config: { model: "gpt-5-mini" } },
      })
    ).json();
    const key = await (await request.post(`/api/v1/agents/${a.id}/keys`, { headers, data: { name: "rt" } })).json();
    return { ...a, sdk: new AcpRuntimeClient({ baseUrl: baseURL!, agentKey: key.token, retryBaseMs: 10 }) };
  };
  const [support, refunds] = [await agent("support"), await agent("refunds")];
  const suffix = uniqueSlug("e2e").replaceAll("-", "_");
  const [ticket, refund] = [`ticket.resolved.${suffix}`, `refund.issued.${suffix}`];
  const define = (data: object) => request.post("/api/v1/outcome-types", { headers, data });
  expect((await define({ name: ticket, unit: "ticket", agentIds: [support.id, refunds.id] })).status()).toBe(201);
  expect((await define({ name: refund, unit: "refund", hasValue: true, agentIds: [refunds.id] })).status()).toBe(201);
  expect((await define({ name: ticket, unit: "ticket" })).status()).toBe(409);

  // Usage names its task; outcomes conclude tasks. Costs in micro-dollars, so the check below is exact.
  const tasks = {
    support: { s1: [120_000, 30_000], s2: [50_000], s3: [400_000] },
    refunds: { r1: [200_000], r2: [100_000, 100_000] },
  };
  for (const [who, sdk] of [
    ["support", support.sdk],
    ["refunds", refunds.sdk],
  ] as const) {
    for (const [taskId, costs] of Object.entries(tasks[who]))
      for (const c of costs)
        sdk.recordUsage({ model: "gpt-5-mini", inputTokens: 10, outputTokens: 10, costUsd: c / 1e6, taskId });
    sdk.recordUsage({ model: "gpt-5-mini", inputTokens: 10, outputTokens: 10, costUsd: 0.5 }); // no task
    await sdk.flush();
  }
  expect(
    await support.sdk.reportOutcomes([
      { type: ticket, taskId: "s1", success: true },
      { type: ticket, taskId: "s2", success: true },
      { type: ticket, taskId: "s3", success: false },
    ]),
  ).toEqual({ accepted: 3, duplicates: 0 });
  await refunds.sdk.reportOutcomes([
    { type: refund, taskId: "r1", success: true, valueUsd: 40 },
    { type: refund, taskId: "r2", success: true, valueUsd: 10 },
  ]);

  // Refused with 422 naming the field, nothing stored: a type nobody defined, a type the agent is not listed for.
  for (const [sdk, type, code] of [
    [support.sdk, `ticket.closed.${suffix}`, "unknown_outcome_type"],
    [support.sdk, refund, "outcome_type_not_allowed"],
  ] as const) {
    const err = await sdk.reportOutcomes([{ type, taskId: "s9", success: true }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AcpError);
    expect(err).toMatchObject({ status: 422, code });
  }

  // The independent computation: each type's task costs over its successes.
  const sum = (xs: number[][]) => xs.flat().reduce((n, c) => n + c, 0);
  const economics = async (a: { id: string }) =>
    (await request.get(`/api/v1/agents/${a.id}/outcomes`, { headers })).json();
  const s = await economics(support);
  expect(s.types).toEqual([
    expect.objectContaining({
      type: ticket,
      outcomes: 3,
      successes: 2,
      costMicros: sum(Object.values(tasks.support)),
      costPerSuccessMicros: sum(Object.values(tasks.support)) / 2,
    }),
  ]);
  expect(s.usage).toEqual({ costMicros: sum(Object.values(tasks.support)) + 500_000, taskCostMicros: 600_000 });
  const r = await economics(refunds);
  expect(r.types).toEqual([
    expect.objectContaining({
      type: refund,
      successes: 2,
      costMicros: 400_000,
      costPerSuccessMicros: 200_000,
      valueMicros: 50_000_000,
      valuePerDollar: 125,
    }),
  ]);
});
