/** The console's top-level sections, for "back to …" links on the 404 and error pages. */
export const SECTIONS = [
  { href: "/agents", label: "Agents" },
  { href: "/spend", label: "Spend" },
  { href: "/budgets", label: "Budgets" },
  { href: "/outcomes", label: "Outcomes" },
  { href: "/approvals", label: "Approvals" },
  { href: "/tools", label: "Tools" },
  { href: "/resources", label: "Resources" },
  { href: "/lineage", label: "On whose behalf" },
  { href: "/audit", label: "Audit" },
  { href: "/people", label: "People" },
  { href: "/notifications", label: "Notifications" },
  { href: "/settings", label: "Settings" },
] as const;

/** The section a path belongs to; the agent registry when it belongs to none. */
export function sectionOf(pathname: string | null) {
  return SECTIONS.find((s) => pathname === s.href || pathname?.startsWith(`${s.href}/`)) ?? SECTIONS[0];
}
