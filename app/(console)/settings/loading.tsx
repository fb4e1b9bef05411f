import { PageSkeleton } from "@/components/shell/page-skeleton";

/** Shown at once on a navigation to Settings while its page renders (the shell stays). */
export default function Loading() {
  return <PageSkeleton label="Settings" variant="form" />;
}
