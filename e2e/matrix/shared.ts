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
 * What the server writes on its own clock, not as any request's doing: an approval's timeout passing. Wherever it is
 * noticed (the webhook dispatcher, a listing, a decision on the approval), the expiry is written by the system actor
 * with no request id. An earlier journey's 15-minute approval can expire during this phase on a slow machine.
 */
const byTheServersClock = (e: { action: string; requestId: string | null; actorType: string; actorLabel: string }) =>
  e.requestId === null &&
  e.actorType === "system" &&
  e.action === "approval.expired" &&
  e.actorLabel === "approval timeout";

/**
 * "A refused request wrote nothing", checked against the whole audit trail while nothing else writes, without reading
 * it after every request: each request carries a request id of its own (`id()`, which the audit trail records with
 * every event the request writes), and once every request has been answered (`done()`) the events appended since the
 * start are read. Each must carry the id of a request this watcher sent that was not refused; an event naming a refused
 * request is a failure, and so is one naming no request of ours (a write nothing here can account for, as a moved head
 * was). Requests may go side by side (`inParallel`): nothing is read while any is in flight.
 */
export async function auditWatch(request: APIRequestContext, auditor: Record<string, string>, tag: string) {
  let head = await auditHead(request, auditor);
  const sent = new Map<string, Sent>();
  const failures: string[] = [];
  let n = 0;
  /** This watcher's part of a request id (the fuzz's hostile text follows a colon). */
  const own = (id: string | null) => id?.split(":", 1)[0] ?? "";

  /** Every event after `head`, oldest first (the list is newest first, paged). */
  const appended = async () => {
    const events: {
      position: string;
      action: string;
      requestId: string | null;
      actorType: string;
      actorLabel: string;
    }[] = [];
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
    for (const e of await appended()) {
      head = BigInt(e.position);
      if (byTheServersClock(e)) continue;
      const by = sent.get(own(e.requestId));
      if (!by) failures.push(`${e.action} (audit position ${e.position}) was written by no request of this check`);
      else if (by.refused) failures.push(`${by.label}: a refused request wrote ${e.action} to the audit trail`);
    }
  };

  return {
    /** The X-Request-Id for the next request; `suffix` (hostile text, say) goes after this watcher's own part. */
    id(suffix?: string): string {
      return `${tag}${++n}${suffix === undefined ? "" : `:${suffix}`}`;
    },
    /** What became of the request sent with `id`. */
    sent(id: string, refused: boolean, label: string) {
      sent.set(own(id), { refused, label });
    },
    /**
     * Once every request has been answered: reads the trail once now and once after the audit outbox's appender has
     * run (AUDIT_APPEND_MS, 500 ms by default: an event queued by the last requests is appended a moment after they
     * were answered); the failures found.
     */
    async done(): Promise<string[]> {
      await look();
      await new Promise((r) => setTimeout(r, 1_500));
      await look();
      return failures;
    },
  };
}

const MATRIX_WIDTH = Number(process.env.MATRIX_WIDTH ?? 4);

/**
 * Runs `jobs` at most `width` at a time, in order. After a job fails no more start, and the first failure is thrown once
 * those already started have ended (so no request outlives its test). MATRIX_WIDTH sets the default width.
 */
export async function inParallel(jobs: (() => Promise<unknown>)[], width = MATRIX_WIDTH): Promise<void> {
  // (A width of 0 or NaN would run nothing, and every check would pass having sent nothing.)
  if (!(Number.isInteger(width) && width >= 1)) throw new Error(`MATRIX_WIDTH is a whole number ≥ 1, not ${width}`);
  let next = 0;
  let failure: { err: unknown } | null = null;
  const lane = async () => {
    while (!failure && next < jobs.length) {
      const job = jobs[next++];
      try {
        await job();
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  if (failure) throw (failure as { err: unknown }).err;
}
