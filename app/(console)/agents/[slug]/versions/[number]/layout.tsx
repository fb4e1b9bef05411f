import { notFound } from "next/navigation";
import { requireSessionActor } from "@/lib/auth/session";
import { getAgentVersion } from "@/lib/domain/agents/queries";
import { notFoundIfMissing } from "../../not-found-if-missing";

/** A version that does not exist answers 404 before the agent's loading skeleton starts the response (see ../../layout). */
export default async function VersionLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ slug: string; number: string }>;
}) {
  const actor = await requireSessionActor();
  const { slug, number } = await params;
  const n = Number(number);
  if (!Number.isInteger(n) || n < 1) notFound();
  await notFoundIfMissing(() => getAgentVersion(actor, slug, n));
  return children;
}
