import { type APIRequestContext, type Browser, expect } from "@playwright/test";
import { tokenFor } from "../fixtures";
import type { Ids, Role } from "./registry";

export { scanRoutes } from "../../lib/http/route-files";

export type Credentials = Record<Role, Record<string, string>>;

/** Credentials per role (people by personal access token, the agent by key) and the ids the routes need. */
export async function setUp(
  request: APIRequestContext,
  browser: Browser,
): Promise<{ creds: Credentials; ids: Ids; adminAuth: Record<string, string>; auditorAuth: Record<string, string> }> {
  const token = async (role: "viewer" | "auditor" | "team_lead" | "admin") => ({
    Authorization: `Bearer ${await tokenFor(browser, role)}`,
  });
  const [viewer, auditor, lead, admin] = await Promise.all([
    token("viewer"),
    token("auditor"),
    token("team_lead"),
    token("admin"),
  ]);
  const agentOf = async (slug: string) =>
    (await (await request.get(`/api/v1/agents/${slug}`, { headers: admin })).json()).id as string;
  const engineering = await agentOf("ci-fixer");
  const support = await agentOf("support-triage");
  const key = await (
    await request.post(`/api/v1/agents/${support}/keys`, { headers: admin, data: { name: "matrix" } })
  ).json();
  const engKey = await (
    await request.post(`/api/v1/agents/${engineering}/keys`, { headers: admin, data: { name: "matrix target" } })
  ).json();
  const rules = (await (await request.get(`/api/v1/agents/${engineering}/permissions`, { headers: admin })).json())
    .items;
  const budgets = (await (await request.get("/api/v1/budgets?limit=500", { headers: admin })).json()).items as {
    id: string;
    name: string;
  }[];
  const people = (await (await request.get("/api/v1/users?q=viewer%40acp.local", { headers: admin })).json()).items as {
    id: string;
  }[];
  expect(key.token).toMatch(/^acp_ak_/);
  return {
    creds: { anon: {}, viewer, auditor, lead, admin, agent: { Authorization: `Bearer ${key.token}` } },
    ids: {
      agent: engineering,
      rule: rules[0].id,
      key: engKey.id,
      budget: budgets.find((b) => b.name === "Engineering monthly")!.id,
      user: people[0].id,
      fake: "00000000-0000-7000-8000-000000000000",
    },
    adminAuth: admin,
    auditorAuth: auditor,
  };
}

/** The newest audit position: any governed change moves it. */
export async function auditHead(request: APIRequestContext, auditor: Record<string, string>): Promise<bigint> {
  const res = await request.get("/api/v1/audit/events?limit=1", { headers: auditor });
  expect(res.status()).toBe(200);
  return BigInt((await res.json()).items[0]?.position ?? "0");
}

type Sent = { refused: boolean; label: string };

/**
 * "A refused request wrote nothing", checked against the whole audit trail while nothing else writes, without reading
 * it after every request: each request carries a request id of its own (`id()`, which the audit trail records with
 * every event the request writes), and every so often (and at `done()`) the events appended since the last look are
 * read. Each must carry the id of a request this watcher sent that was not refused; an event naming a refused request
 * is a failure, and so is one naming no request of ours (a write nothing here can account for, as a moved head was).
 * `failures` names the request that wrote, with the action it wrote.
 */
export async function auditWatch(request: APIRequestContext, auditor: Record<string, string>, tag: string) {
  let head = await auditHead(request, auditor);
  const sent = new Map<string, Sent>();
  const failures: string[] = [];
  let n = 0;
  let sinceLook = 0;

  /** Every event after `head`, oldest first (the list is newest first, paged). */
  const appended = async () => {
    const events: { position: string; action: string; requestId: string | null }[] = [];
    let cursor: string | null = null;
    for (;;) {
      const res = await request.get(`/api/v1/audit/events?limit=200${cursor ? `&cursor=${cursor}` : ""}`, {
        headers: auditor,
      });
      expect(res.status()).toBe(200);
      const page = (await res.json()) as { items: typeof events; nextCursor: string | null };
      const newer = page.items.filter((e) => BigInt(e.position) > head);
      events.push(...newer);
      if (newer.length < page.items.length || !page.nextCursor) break;
      cursor = encodeURIComponent(page.nextCursor);
    }
    return events.reverse();
  };

  const look = async () => {
    sinceLook = 0;
    for (const e of await appended()) {
      head = BigInt(e.position);
      // This watcher's part of the id (the fuzz's hostile text follows a colon).
      const by = sent.get(e.requestId?.split(":", 1)[0] ?? "");
      if (!by) failures.push(`${e.action} (audit position ${e.position}) was written by no request of this check`);
      else if (by.refused) failures.push(`${by.label}: a refused request wrote ${e.action} to the audit trail`);
    }
  };

  return {
    /** The X-Request-Id for the next request; `suffix` (hostile text, say) goes after this watcher's own part. */
    id(suffix?: string): string {
      return `${tag}${++n}${suffix === undefined ? "" : `:${suffix}`}`;
    },
    /** What became of the request sent with `id`; reads the trail once every 100 requests. */
    async sent(id: string, refused: boolean, label: string) {
      sent.set(id.split(":", 1)[0], { refused, label });
      if (++sinceLook >= 100) await look();
    },
    /**
     * Reads what is left to read, once now and once after the audit outbox's appender has run (AUDIT_APPEND_MS, 500 ms
     * by default: an event queued by the last requests is appended a moment after they were answered); the failures
     * found since the start.
     */
    async done(): Promise<string[]> {
      await look();
      await new Promise((r) => setTimeout(r, 1_500));
      await look();
      return failures;
    },
  };
}
