import { PageSkeleton } from "@/components/shell/page-skeleton";

/** Shown on a navigation to an agent's pages while the tab renders; the layout above has answered 404 already. */
export default function Loading() {
  return <PageSkeleton label="the agent" variant="detail" />;
}
