import { Shell } from "@/components/shell/shell";
import { requireSessionActor } from "@/lib/auth/session";
import { displayName } from "@/lib/domain/users/queries";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireSessionActor();
  return (
    <Shell user={{ name: (await displayName(actor.id)) ?? actor.label, email: actor.label, role: actor.role }}>
      {children}
    </Shell>
  );
}
