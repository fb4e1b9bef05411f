import "server-only";
import { DomainError } from "@/lib/domain/errors";

/**
 * A console list page's rows for the cursor in its address. A cursor the list refuses (an old link, an edited
 * address) shows the first page instead of an error; `cursor` is then undefined, so the page renders as the first.
 */
export async function pageOrFirst<T>(
  load: (cursor?: string) => Promise<T>,
  cursor: string | undefined,
): Promise<{ page: T; cursor: string | undefined }> {
  if (!cursor) return { page: await load(), cursor: undefined };
  try {
    return { page: await load(cursor), cursor };
  } catch (err) {
    if (err instanceof DomainError && err.kind === "validation") return { page: await load(), cursor: undefined };
    throw err;
  }
}
