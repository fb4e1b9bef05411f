import { PageSkeleton } from "@/components/shell/page-skeleton";

/** Shown at once on a navigation to Spend while its queries run (the shell stays). */
export default function Loading() {
  return <PageSkeleton label="Spend" variant="chart" />;
}
