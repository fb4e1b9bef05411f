import { PageSkeleton } from "@/components/shell/page-skeleton";

/** Shown at once on a navigation to Notifications while its page renders (the shell stays). */
export default function Loading() {
  return <PageSkeleton label="Notifications" variant="table" />;
}
