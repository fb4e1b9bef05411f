import { createHash } from "node:crypto";
import fs from "node:fs";
import canonicalize from "canonicalize";
import { parse } from "csv-parse/sync";
import { strFromU8, unzipSync } from "fflate";
import { publicKeysOf } from "../../lib/domain/audit/checkpoint-format";
import { verifyAuditExport } from "../../lib/domain/audit/verify-export";
import { expect, sameOrigin, signIn, test } from "../fixtures";

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test("auditor filters by an agent and a week, opens an event, and downloads the same rows as CSV", async ({ page }) => {
  await signIn(page, "auditor");
  await page.goto("/audit");
  // The visible filter bar (while the page streams in, a hidden copy of its fields can be in the document too).
  const filters = page.getByRole("search", { name: "Filter audit events" });
  await filters.getByLabel("Agent").selectOption({ label: "support-triage" });
  await filters.getByLabel("From").fill(day(-6));
  await filters.getByLabel("Until (not including)").fill(day(1));
  await filters.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/agentId=.*from=|from=.*agentId=/);

  const rows = page.locator("#content").getByTestId("audit-rows").locator("tr");
  await expect(rows.first()).toBeVisible();
  const positions = (await rows.locator("td:first-child").allTextContents()).map((t) => t.trim());
  expect(positions.length).toBeGreaterThan(2);
  await expect(page.locator("#content").getByTestId("audit-rows")).toContainText("agent.registered");

  await rows.filter({ hasText: "agent.registered" }).getByRole("link").click();
  const detail = page.getByTestId("audit-detail");
  await expect(detail).toContainText("seed");
  await expect(detail.getByTestId("before-after")).toContainText('"slug": "support-triage"');
  await expect(page.locator("#content").getByTestId("audit-rows").locator("tr")).toHaveCount(positions.length);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  const records = parse(csv, { columns: true }) as Record<string, string>[];
  expect(records.map((r) => r.position).sort()).toEqual([...positions].sort());
  expect(Object.keys(records[0])).toEqual(
    expect.arrayContaining(["position", "occurredAt", "actorLabel", "action", "before", "after", "prevHash", "hash"]),
  );
  expect(JSON.parse(records.find((r) => r.action === "agent.registered")!.after).agent.slug).toBe("support-triage");
  expect(csv).not.toMatch(/acp_ak_[a-f0-9]{8}_|\$argon2/);
});

test("the export is audited, and auditors cannot change anything", async ({ page, request }) => {
  await signIn(page, "auditor");
  const exported = await page.request.get("/api/v1/audit/export?format=ndjson&action=user.");
  expect(exported.status()).toBe(200);
  const lines = (await exported.text())
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(lines[0]).toMatchObject({ record: "header", filters: { action: "user." } });
  expect(lines.at(-1)).toMatchObject({ record: "trailer", count: lines.filter((l) => !l.record).length });
  expect(lines.filter((l) => !l.record).every((l) => l.action.startsWith("user."))).toBe(true);
  await page.goto("/audit?action=audit.exported");
  await expect(page.locator("#content").getByTestId("audit-rows")).toContainText("auditor@acp.local");
  await page.goto("/audit");
  await page.getByLabel("Action").selectOption({ label: "Audit trail exported" });
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/action=audit\.exported/);
  await expect(page.locator("#content").getByTestId("audit-rows")).toContainText("auditor@acp.local");
  const unknown = await page.request.get("/api/v1/audit/events?action=rollback");
  expect(unknown.status()).toBe(422);
  expect((await unknown.json()).error).toMatchObject({
    code: "validation_failed",
    details: { action: [expect.any(String)] },
  });
  const res = await page.request.post("/api/v1/agents", {
    headers: sameOrigin(page),
    data: { slug: "auditor-try", name: "x", teamId: "x", environment: "dev", config: { model: "m" } },
  });
  expect(res.status()).toBe(403);
  expect((await request.get("/api/v1/audit/export?format=csv")).status()).toBe(401);
});

/** The README's recipe ("The audit hash, exactly"): drop `hash`, RFC 8785, SHA-256 — on the item as returned. */
const recomputed = ({ hash: _hash, ...hashed }: Record<string, unknown>) =>
  createHash("sha256").update(canonicalize(hashed)!).digest("hex");

test("audit items recompute to their hash as the API returns them, and formula text exports neutralised", async ({
  page,
}) => {
  await signIn(page, "admin");
  const slug = `csv-hash-${Date.now()}`;
  // A team of its own: other specs count the seeded teams' agents.
  const team = (await (
    await page.request.post("/api/v1/teams", { headers: sameOrigin(page), data: { slug, name: slug } })
  ).json()) as { id: string };
  const created = await page.request.post("/api/v1/agents", {
    headers: sameOrigin(page),
    data: { slug, name: slug, teamId: team.id, environment: "dev", config: { model: "m" } },
  });
  expect(created.status()).toBe(201);
  const agent = (await created.json()) as { id: string };
  const evil = '=HYPERLINK("http://evil.example","x")';
  expect(
    (
      await page.request.post(`/api/v1/agents/${agent.id}/suspend`, {
        headers: sameOrigin(page),
        data: { reason: evil },
      })
    ).status(),
  ).toBe(200);

  const list = await page.request.get("/api/v1/audit/events?limit=50");
  expect(list.status()).toBe(200);
  const { items } = (await list.json()) as { items: Record<string, unknown>[] };
  expect(items.length).toBeGreaterThan(10);
  for (const item of items) {
    expect(typeof item.position).toBe("string");
    expect(recomputed(item), `position ${item.position}`).toBe(item.hash);
  }
  const one = (await (await page.request.get(`/api/v1/audit/events/${items[3].position}`)).json()) as Record<
    string,
    unknown
  >;
  expect(one).toEqual(items[3]);
  expect(recomputed(one)).toBe(one.hash);

  const csv = await (
    await page.request.get(`/api/v1/audit/export?format=csv&action=agent.suspended&agentId=${agent.id}`)
  ).text();
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  expect(rows.at(-1)!.reason).toBe(`'${evil}`);
  expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
});

test("auditor downloads the evidence pack for the last 30 days of demo data: it opens and verifies INTACT", async ({
  page,
}) => {
  await signIn(page, "auditor");
  await page.goto("/audit");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("evidence-pack").click()]);
  expect(download.suggestedFilename()).toBe(`acp-evidence-${day(-30)}-to-${day(1)}.zip`);
  const files = unzipSync(fs.readFileSync((await download.path())!));
  const text = (name: string) => strFromU8(files[name]);
  expect(text("verification.txt")).toMatch(/^INTACT: FILTERED \(from=.*; \d+ events verified, .* signatures verified/);
  // Checked again here, from the pack alone: its trail against its keys, every file against the manifest.
  const verdict = verifyAuditExport(text("audit.ndjson"), {
    keys: publicKeysOf(JSON.parse(text("acp-audit-keys.json"))),
  });
  expect(verdict).toMatchObject({ intact: true, signatures: "verified" });
  const manifest = JSON.parse(text("manifest.json"));
  for (const f of manifest.files as { name: string; sha256: string }[])
    expect(createHash("sha256").update(files[f.name]).digest("hex")).toBe(f.sha256);
  const deployments = parse(text("deployments.csv"), { columns: true }) as Record<string, string>[];
  expect(deployments.map((d) => d.agent)).toContain("support-triage");
  const people = parse(text("people.csv"), { columns: true }) as Record<string, string>[];
  expect(people.find((p) => p.email === "auditor@acp.local")).toMatchObject({ role: "auditor", status: "active" });
  expect(text("README.md")).toContain("SOC 2 CC8.1");
  expect(text("audit.ndjson")).not.toMatch(/acp_ak_[a-f0-9]{8}_|\$argon2/);
});
