import Link from "next/link";

/**
 * The foot of a keyset-paginated list: how many rows show, a link back to the first page when on a later one,
 * and one to the next page. The search params (filters) are kept; only the cursor changes.
 */
export function Pager({
  path,
  search,
  shown,
  nextCursor,
}: {
  path: string;
  search: Record<string, string | undefined>;
  shown: number;
  nextCursor: string | null;
}) {
  const filters = Object.fromEntries(Object.entries(search).filter(([k, v]) => v && k !== "cursor")) as Record<
    string,
    string
  >;
  return (
    <div className="flex items-center justify-between border-t border-slate-100 px-4 py-2 text-sm text-slate-500">
      <span>{shown} shown</span>
      <div className="flex gap-3">
        {search.cursor ? (
          <Link className="hover:text-slate-900" href={`${path}?${new URLSearchParams(filters)}`}>
            First page
          </Link>
        ) : null}
        {nextCursor ? (
          <Link
            className="font-medium text-indigo-600 hover:underline"
            href={`${path}?${new URLSearchParams({ ...filters, cursor: nextCursor })}`}
          >
            Next page →
          </Link>
        ) : null}
      </div>
    </div>
  );
}
