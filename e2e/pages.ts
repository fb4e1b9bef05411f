/**
 * Every console page (app/(console)), with the roles that may use it: the every-page spec
 * (e2e/ui/every-page.spec.ts) visits them and `npm run screenshots` shoots them. A page with an id in its path names
 * the list page it is reached from and the link to follow there (the first one, as the signed-in role sees it).
 */
import type { Page } from "@playwright/test";

export const ROLES = ["admin", "team_lead", "auditor", "viewer"] as const;
export type ConsoleRole = (typeof ROLES)[number];

const ALL = ROLES;
const ADMIN = ["admin"] as const;
const READERS = ["admin", "auditor"] as const;
const WRITERS = ["admin", "team_lead"] as const;

/** A seeded agent of the support team, which the team lead leads. */
const AGENT = "/agents/support-triage";

export type ConsolePage = {
  /** The file name of its screenshot and the name in test failures. */
  name: string;
  roles: readonly ConsoleRole[];
} & ({ path: string } | { from: string; link: string });

export const CONSOLE_PAGES: readonly ConsolePage[] = [
  { name: "agents", path: "/agents", roles: ALL },
  { name: "agent-overview", path: AGENT, roles: ALL },
  { name: "agent-versions", path: `${AGENT}?tab=versions`, roles: ALL },
  { name: "agent-keys", path: `${AGENT}?tab=keys`, roles: ALL },
  { name: "agent-permissions", path: `${AGENT}?tab=permissions`, roles: ALL },
  { name: "agent-budget", path: `${AGENT}?tab=budget`, roles: ALL },
  { name: "agent-version", path: `${AGENT}/versions/1`, roles: ALL },
  { name: "agent-compare", path: `${AGENT}/compare`, roles: ALL },
  { name: "agent-edit", path: `${AGENT}/edit`, roles: ADMIN },
  { name: "agent-new-version", path: `${AGENT}/versions/new`, roles: ADMIN },
  { name: "agent-new", path: "/agents/new", roles: ADMIN },
  { name: "spend", path: "/spend", roles: ALL },
  { name: "budgets", path: "/budgets", roles: ALL },
  { name: "budget", from: "/budgets", link: 'main a[href^="/budgets/"]:not([href="/budgets/new"])', roles: ALL },
  { name: "budget-new", path: "/budgets/new", roles: WRITERS },
  { name: "audit", path: "/audit", roles: READERS },
  { name: "people", path: "/people", roles: READERS },
  { name: "person", from: "/people", link: 'main a[href^="/people/"]', roles: READERS },
  { name: "approvals", path: "/approvals", roles: WRITERS },
  { name: "tools", path: "/tools", roles: ALL },
  { name: "outcomes", path: "/outcomes", roles: ALL },
  { name: "resources", path: "/resources", roles: ALL },
  { name: "resource", from: "/resources", link: 'main a[href^="/resources/"]', roles: ALL },
  { name: "lineage", path: "/lineage?onBehalfOf=customer-007%40example.com", roles: ALL },
  { name: "notifications", path: "/notifications", roles: ALL },
  { name: "settings", path: "/settings", roles: ALL },
  { name: "settings-api", path: "/settings/api", roles: ALL },
];

export const pagesFor = (role: ConsoleRole) => CONSOLE_PAGES.filter((p) => p.roles.includes(role));

/** The page's path: given, or the first matching link on its list page. */
export async function resolvePath(page: Page, entry: ConsolePage): Promise<string> {
  if ("path" in entry) return entry.path;
  await page.goto(entry.from);
  const href = await page.locator(entry.link).first().getAttribute("href");
  if (!href) throw new Error(`${entry.name}: no link ${entry.link} on ${entry.from}`);
  return href;
}
