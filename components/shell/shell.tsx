import { NotificationBell } from "@/components/alerts/bell";
import { NavLinks } from "./nav-links";
import { ShellFrame } from "./shell-frame";
import { SignOutButton } from "./sign-out-button";

const ROLE_LABEL: Record<string, string> = {
  admin: "Admin",
  team_lead: "Team lead",
  auditor: "Auditor",
  viewer: "Viewer",
};

/** The name wraps in the narrow sidebar column and is cut in the phone's top bar. */
function Brand({ nameClass }: { nameClass: string }) {
  return (
    <>
      <div
        aria-hidden
        className="flex size-7 shrink-0 items-center justify-center rounded-md bg-indigo-600 text-sm font-bold text-white"
      >
        A
      </div>
      <span className={`text-sm font-semibold tracking-tight ${nameClass}`}>Agent Control Plane</span>
    </>
  );
}

export function Shell({
  user,
  children,
}: {
  user: { name: string; email: string; role: string };
  children: React.ReactNode;
}) {
  return (
    <ShellFrame
      brand={<Brand nameClass="min-w-0 truncate" />}
      topBarEnd={<NotificationBell place="top-bar" />}
      sidebar={
        <>
          {/* Right padding below lg leaves room for the drawer's close button. */}
          <div className="flex items-center gap-2 py-4 pl-4 pr-14 lg:pr-4">
            <Brand nameClass="leading-tight" />
            <NotificationBell />
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto">
            <NavLinks role={user.role} />
          </div>
          <div className="border-t border-slate-200 p-4" data-testid="current-user">
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
        </>
      }
    >
      {children}
    </ShellFrame>
  );
}
