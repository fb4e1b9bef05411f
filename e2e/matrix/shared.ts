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
export async function auditHead(request: APIRequestContext, auditor: Record<string, string>): Promise<string> {
  const res = await request.get("/api/v1/audit/events?limit=1", { headers: auditor });
  expect(res.status()).toBe(200);
  return String((await res.json()).items[0]?.position ?? "0");
}

/**
 * "A refused request wrote nothing", checked request by request while nothing else writes: the audit head is read
 * once, then again after each request. The function returns false when a refused request moved it; an accepted one
 * may (the next request is judged from where it left it). One read per request instead of one before and one after.
 */
export async function auditWatch(request: APIRequestContext, auditor: Record<string, string>) {
  let head = await auditHead(request, auditor);
  return async (refused: boolean): Promise<boolean> => {
    const before = head;
    head = await auditHead(request, auditor);
    return !refused || head === before;
  };
}
