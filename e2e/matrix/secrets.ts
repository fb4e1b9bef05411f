import { createHash } from "node:crypto";
import fs from "node:fs";
import { type APIRequestContext, type Browser, expect } from "@playwright/test";
import { ACCOUNTS, removeSink } from "../fixtures";
import { REGISTRY } from "./registry";
import { setUp } from "./shared";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** No API response, export or server log line carries key material, password hashes or session secrets. */
export async function runSecretScan(request: APIRequestContext, browser: Browser) {
  const { creds, ids, adminAuth } = await setUp(request, browser);
  // Fresh secrets of every kind, each seen once in its creation response (which is not scanned).
  const agentKey = (
    await (
      await request.post(`/api/v1/agents/${ids.agent}/keys`, { headers: adminAuth, data: { name: "secret scan" } })
    ).json()
  ).token as string;
  const webhook = await (
    await request.post("/api/v1/webhooks", {
      headers: adminAuth,
      data: { name: "secret scan", url: "http://127.0.0.1:9/never" },
    })
  ).json();
  const sink = async (data: object) =>
    (await request.post("/api/v1/audit/sinks", { headers: adminAuth, data: { startFrom: "now", ...data } })).json();
  const hecToken = `hec-${createHash("sha256").update(String(Math.random())).digest("hex").slice(0, 24)}`;
  const sinks = [
    await sink({ name: "secret scan https", kind: "https", url: "http://127.0.0.1:9/never" }),
    await sink({ name: "secret scan hec", kind: "splunk_hec", url: "http://127.0.0.1:9/hec", token: hecToken }),
  ];
  try {
    const needles: [string, string][] = [
      ["agent key", agentKey],
      ["agent key hash", sha256(agentKey)],
      ["personal access token", creds.admin.Authorization.slice(7)],
      ["personal access token hash", sha256(creds.admin.Authorization.slice(7))],
      ["matrix agent key", creds.agent.Authorization.slice(7)],
      ["webhook signing secret", webhook.secret],
      ["audit sink signing secret", sinks[0].secret],
      ["Splunk HEC token", hecToken],
      ["session secret", "e2e-secret-not-for-production-use-0123456789"],
      ["argon2 password hash", "$argon2"],
      ...Object.values(ACCOUNTS).map((a) => [`password of ${a.email}`, a.password] as [string, string]),
    ];
    const haystacks: [string, string][] = [];
    // Every readable route, as admin (who sees the most), with the agent key on the runtime routes.
    for (const e of REGISTRY.filter((x) => x.method === "GET" && !x.skip)) {
      const auth = e.allow.includes("admin") ? creds.admin : creds.agent;
      const res = await request.get(e.path(ids), { headers: auth });
      haystacks.push([`GET ${e.route}`, await res.text()]);
    }
    for (const format of ["csv", "ndjson"])
      haystacks.push([
        `audit export (${format})`,
        await (await request.get(`/api/v1/audit/export?format=${format}`, { headers: adminAuth })).text(),
      ]);
    const to = new Date().toISOString();
    haystacks.push([
      "spend export",
      await (
        await request.get(`/api/v1/spend/export?from=2026-01-01T00:00:00Z&to=${to}&groupBy=agent`, {
          headers: adminAuth,
        })
      ).text(),
    ]);
    const logFile = process.env.E2E_LOG_FILE!;
    await expect.poll(() => fs.existsSync(logFile)).toBe(true);
    const log = fs.readFileSync(logFile, "utf8");
    haystacks.push(["server log", log]);
    const found = haystacks.flatMap(([where, text]) =>
      needles.filter(([, secret]) => secret && text.includes(secret)).map(([what]) => `${what} in ${where}`),
    );
    const bytes = haystacks.reduce((n, [, t]) => n + t.length, 0);
    console.log(
      `[secrets] ${needles.length} secrets searched in ${haystacks.length} responses, exports and the server log (${(bytes / 1e6).toFixed(1)} MB, ${log.split("\n").length} log lines)`,
    );
    expect(sinks[0].secret).toMatch(/^whsec_/);
    expect(found).toEqual([]);
    expect(log.split("\n").filter(Boolean).length).toBeGreaterThan(10); // the log really is the server's request log
  } finally {
    for (const s of sinks) await removeSink(request, browser, adminAuth, s.id);
  }
}
