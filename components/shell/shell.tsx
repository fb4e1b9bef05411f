import { NotificationBell } from "@/components/alerts/bell";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

const ROLE_LABEL: Record<string, string> = {
  admin: "Admin",
  team_lead: "Team lead",
  auditor: "Auditor",
  viewer: "Viewer",
};

export function Shell({
  user,
  children,
}: {
  user: { name: string; email: string; role: string };
  children: React.ReactNode;
}) {
  return (
    <div className="flex min-h-screen">
      <aside className="sticky top-0 flex h-screen w-56 shrink-0 flex-col self-start border-r border-slate-200 bg-white">
        <div className="flex items-center gap-2 px-4 py-4">
          <div className="flex size-7 items-center justify-center rounded-md bg-indigo-600 text-sm font-bold text-white">
            A
          </div>
          <span className="text-sm font-semibold tracking-tight">Agent Control Plane</span>
          <NotificationBell />
        </div>
        <NavLinks role={user.role} />
        <div className="mt-auto border-t border-slate-200 p-4" data-testid="current-user">
          <p className="truncate text-sm font-medium text-slate-900">{user.name}</p>
          <p className="truncate text-xs text-slate-500">{user.email}</p>
          <p
            className="mt-1 inline-flex rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700"
            data-testid="current-role"
          >
            {ROLE_LABEL[user.role] ?? user.role}
          </p>
          <SignOutButton />
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-8 py-6">{children}</main>
    </div>
  );
}
