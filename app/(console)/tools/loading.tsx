import { PageSkeleton } from "@/components/shell/page-skeleton";

/** Shown at once on a navigation to the tool catalog while its page renders (the shell stays). */
export default function Loading() {
  return <PageSkeleton label="Tools" variant="table" />;
}
