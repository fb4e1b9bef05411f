import { PageSkeleton } from "@/components/shell/page-skeleton";

/** Shown at once on a navigation to Approvals while its page renders (the shell stays). */
export default function Loading() {
  return <PageSkeleton label="Approvals" variant="table" />;
}
