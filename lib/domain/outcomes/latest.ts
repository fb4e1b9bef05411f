import { Prisma } from "@/lib/db/generated/client";

/**
 * A task's latest report: the one a DISTINCT ON (…, "taskId") keeps when its ORDER BY ends with this, so a retry or a
 * repeated report replaces what the task achieved instead of adding to it. Ties on the timestamp go to the report
 * received last, then to the highest id: the same row every time.
 */
export const LATEST_REPORT_FIRST = Prisma.sql`"timestamp" DESC, "receivedAt" DESC, id DESC`;
