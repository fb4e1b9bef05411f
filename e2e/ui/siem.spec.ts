import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { auditHash } from "../../lib/domain/audit/hash";
import { verifyWebhookSignature } from "../../lib/domain/webhooks/signature";
import { expect, removeSink, signIn, test, tokenFor, uniqueSlug } from "../fixtures";

type Record = { position: string; prevHash: string; hash: string; action: string; targetId: string | null };

test("admin streams the audit trail to a SIEM: signed NDJSON in order; a receiver that goes away shows as failing, then catches up", async ({
  page,
  request,
  browser,
}) => {
  let secret = "";
  const arrivals: Record[] = [];
  // Checked once the secret is known (the first batch can arrive before the page shows it).
  const batches: { signature: string; body: string }[] = [];
  const sockets = new Set<Socket>();
  const receiver = (): Server => {
    const server = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        batches.push({ signature: req.headers["x-acp-signature"] as string, body });
        for (const line of body.split("\n").filter(Boolean)) arrivals.push(JSON.parse(line));
        res.writeHead(200).end();
      });
    });
    server.on("connection", (s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    return server;
  };
  let server = receiver();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const stop = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  const admin = { Authorization: `Bearer ${await tokenFor(browser, "admin")}` };
  // The teams this test creates: other tests running meanwhile write to the same trail.
  const mine = new Set<string>();
  const change = async () => {
    const res = await request.post("/api/v1/teams", {
      headers: admin,
      data: { slug: uniqueSlug("siem"), name: "SIEM e2e" },
    });
    expect(res.status()).toBe(201);
    mine.add((await res.json()).id);
  };
  const myTeams = () => trail().filter((r) => r.action === "team.created" && mine.has(r.targetId ?? "")).length;
  /** The receiver's trail without duplicates: consecutive positions, each linked to the last and hashing right. */
  const trail = () => {
    for (const b of batches) expect(verifyWebhookSignature(secret, b.signature, b.body)).toEqual({ ok: true });
    const seen = new Set<string>();
    const unique = arrivals.filter((r) => !seen.has(r.position) && seen.add(r.position));
    unique.forEach((r, i) => {
      expect(auditHash(r as never)).toBe(r.hash);
      if (i > 0) {
        expect(BigInt(r.position)).toBe(BigInt(unique[i - 1].position) + 1n);
        expect(r.prevHash).toBe(unique[i - 1].hash);
      }
    });
    return unique;
  };
  const name = `SIEM ${Date.now()}`;
  const sink = page.getByTestId(`sink-${name}`);
  try {
    await signIn(page, "admin");
    await page.goto("/settings");
    await expect(page.getByRole("heading", { name: "Audit streaming (SIEM)" })).toBeVisible();
    await page.getByLabel("Sink name").fill(name);
    await page.getByLabel("Kind").selectOption("https");
    await page.getByLabel("Sink URL").fill(`http://127.0.0.1:${port}/audit`);
    await page.getByLabel("Start with").selectOption("now");
    await page.getByRole("button", { name: "Add sink" }).click();
    secret = (await page.getByTestId("new-sink-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);

    await change();
    // The sink's own creation first (it starts from now), then what happened since, ours among it.
    await expect.poll(() => [trail()[0]?.action, myTeams()]).toEqual(["audit.sink_added", 1]);
    await expect(async () => {
      await page.reload();
      await expect(sink.getByText("up to date")).toBeVisible({ timeout: 1_000 });
    }).toPass();
    await expect(sink.getByTestId("sink-lag")).toHaveText("no lag");

    // The receiver goes away; the trail keeps growing; Settings shows the sink failing and behind.
    await stop();
    await change();
    await change();
    await expect(async () => {
      await page.reload();
      await expect(sink.getByText("failing")).toBeVisible({ timeout: 1_000 });
    }).toPass();
    await expect(sink.getByTestId("sink-error")).toContainText("ECONNREFUSED");
    await expect(sink.getByTestId("sink-lag")).toHaveText(/events? behind/);

    // Back on the same port: it catches up, in order, nothing lost.
    server = receiver();
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
    await expect.poll(myTeams, { timeout: 30_000 }).toBe(3);
    await expect(async () => {
      await page.reload();
      await expect(sink.getByText("up to date")).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(sink.getByTestId("sink-error")).toContainText("recovered since");

    await page.getByRole("button", { name: `Delete sink ${name}` }).click();
    await page
      .getByRole("alertdialog")
      .getByRole("button", { name: `Delete sink ${name}` })
      .click();
    // One admin only asks: the sink keeps streaming until a second admin approves.
    await expect(sink.getByText("deletion waits for a second admin")).toBeVisible();
    const listed = await (await request.get("/api/v1/audit/sinks", { headers: admin })).json();
    const requestId = listed.items.find((x: { name: string }) => x.name === name).removalRequestId;
    expect(requestId).toBeTruthy();
    // The receiver gets the request itself; until it has, a plain approval is refused (sink_behind), then it deletes.
    const ops = { Authorization: `Bearer ${await tokenFor(browser, "ops")}` };
    await expect(async () => {
      const approved = await request.post(`/api/v1/change-requests/${requestId}/approve`, { headers: ops, data: {} });
      expect(approved.status()).toBe(200);
    }).toPass({ timeout: 30_000 });
    expect(arrivals.some((r) => r.action === "change.requested")).toBe(true);
    await page.reload();
    await expect(sink).toHaveCount(0);
    const audit = await (await request.get("/api/v1/audit/events?action=audit.&limit=200", { headers: admin })).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(["audit.sink_added", "audit.sink_deleted"]),
    );
  } finally {
    await stop();
    // A sink left behind would hold audit retention back for the specs after this one.
    const left = await (await request.get("/api/v1/audit/sinks", { headers: admin })).json();
    for (const s of left.items.filter((x: { name: string }) => x.name === name))
      await removeSink(request, browser, admin, s.id);
  }
});
