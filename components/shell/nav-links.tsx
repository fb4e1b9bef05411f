"use client";

import {
  Bot,
  ChartColumn,
  Database,
  Goal,
  ScrollText,
  Settings,
  ShieldCheck,
  Users,
  Wallet,
  Wrench,
} from "lucide-react";
import Link, { useLinkStatus } from "next/link";
import { usePathname } from "next/navigation";
import { useNotifications } from "@/components/alerts/bell";
import { cn } from "@/components/ui/cn";
import { useNavigationPending } from "./navigation-status";

const LINKS: { href: string; label: string; icon: typeof Bot; roles?: string[]; also?: string[] }[] = [
  { href: "/agents", label: "Agents", icon: Bot },
  { href: "/spend", label: "Spend", icon: ChartColumn },
  { href: "/budgets", label: "Budgets", icon: Wallet },
  { href: "/outcomes", label: "Outcomes", icon: Goal },
  { href: "/approvals", label: "Approvals", icon: ShieldCheck, roles: ["admin", "team_lead"] },
  { href: "/tools", label: "Tools", icon: Wrench },
  // What agents did on a person's behalf (lineage) is reached from the resources' lineage.
  { href: "/resources", label: "Resources", icon: Database, also: ["/lineage"] },
  { href: "/audit", label: "Audit", icon: ScrollText, roles: ["admin", "auditor"] },
  { href: "/people", label: "People", icon: Users, roles: ["admin", "auditor"] },
  { href: "/settings", label: "Settings", icon: Settings },
];

/** Links to pages a role cannot use are left out (the pages check the role again on the server). */
export function NavLinks({ role }: { role: string }) {
  const pathname = usePathname();
  const waiting = useNotifications().data?.approvalsWaiting ?? 0;
  return (
    <nav aria-label="Main" className="space-y-0.5 px-2">
      {LINKS.filter((l) => !l.roles || l.roles.includes(role)).map(({ href, label, icon: Icon, also = [] }) => {
        const active = [href, ...also].some((h) => pathname === h || pathname.startsWith(`${h}/`));
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium",
              active ? "bg-indigo-50 text-indigo-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
            )}
          >
            <Icon className="size-4" aria-hidden />
            {label}
            {href === "/approvals" && waiting > 0 ? (
              <span
                className="rounded-full bg-indigo-600 px-1.5 text-[11px] font-semibold leading-5 text-white"
                data-testid="approvals-waiting"
              >
                {waiting > 99 ? "99+" : waiting}
                <span className="sr-only"> waiting for you</span>
              </span>
            ) : null}
            <PendingHint label={label} />
          </Link>
        );
      })}
    </nav>
  );
}

/**
 * A dot that pulses on the link just followed while the router waits for the page (a section without a prefetched
 * loading skeleton); always rendered at a fixed size so it never shifts the label, and shown only after a short delay.
 */
function PendingHint({ label }: { label: string }) {
  const { pending } = useLinkStatus();
  useNavigationPending(label, pending);
  return (
    <span
      aria-hidden
      data-testid="nav-pending"
      data-pending={pending ? "true" : undefined}
      className={cn(
        "ml-auto size-1.5 shrink-0 rounded-full bg-indigo-500 opacity-0 transition-opacity",
        pending && "opacity-100 delay-250 motion-safe:animate-pulse",
      )}
    />
  );
}
