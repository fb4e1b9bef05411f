import { requireSessionActor } from "@/lib/auth/session";
import { getAgent } from "@/lib/domain/agents/queries";
import { notFoundIfMissing } from "./not-found-if-missing";

/**
 * A missing agent (or one the reader may not see) answers 404 here, above this segment's loading skeleton: once the
 * skeleton has started the streamed response its status is fixed at 200, so the page below would be too late.
 */
export default async function AgentLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const actor = await requireSessionActor();
  const { slug } = await params;
  await notFoundIfMissing(() => getAgent(actor, slug));
  return children;
}
