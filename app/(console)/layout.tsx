import { requireSessionActor } from "@/lib/auth/session";
import { Shell } from "@/components/shell/shell";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireSessionActor();
  const user = await db().user.findUnique({ where: { id: actor.id }, select: { name: true, email: true } });
  return (
    <Shell user={{ name: user?.name ?? actor.label, email: actor.label, role: actor.role }}>
      {children}
    </Shell>
  );
}
