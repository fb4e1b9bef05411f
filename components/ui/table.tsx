import Form from "next/form";
import { cn } from "./cn";
import { ScrollX } from "./scroll-x";

export function Table({ children, className }: { children: React.ReactNode; className?: string }) {
  return (
    <ScrollX>
      <table className={cn("min-w-full divide-y divide-slate-200 text-sm", className)}>{children}</table>
    </ScrollX>
  );
}

export function Th({ children, className }: { children?: React.ReactNode; className?: string }) {
  return (
    <th
      scope="col"
      className={cn(
        "whitespace-nowrap px-4 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500",
        className,
      )}
    >
      {children}
    </th>
  );
}

/** A column shown from the small breakpoint up (on its header and cells): a phone keeps the columns that matter. */
export const WIDE = "hidden sm:table-cell";

export function Td({
  children,
  className,
  colSpan,
}: {
  children?: React.ReactNode;
  className?: string;
  colSpan?: number;
}) {
  return (
    <td colSpan={colSpan} className={cn("whitespace-nowrap px-4 py-2.5 text-slate-700", className)}>
      {children}
    </td>
  );
}

export type SortDir = "asc" | "desc";

/**
 * A column header that sorts the table through the URL (`?sort=<key>&dir=asc|desc`, so a sorted view can be
 * shared): a real button in a GET form, so it works from the keyboard and without JavaScript, and `aria-sort` on
 * the header. The other search params (filters) are kept; the cursor is dropped (a new order starts on page one).
 * A first press sorts by `firstDir` (descending suits amounts and percentages); the next one reverses.
 */
export function SortableTh({
  label,
  sortKey,
  sort,
  dir,
  path,
  search,
  firstDir = "asc",
  className,
}: {
  label: string;
  sortKey: string;
  sort: string | undefined;
  dir: SortDir;
  path: string;
  search: Record<string, string | undefined>;
  firstDir?: SortDir;
  className?: string;
}) {
  const active = sort === sortKey;
  const next: SortDir = active ? (dir === "asc" ? "desc" : "asc") : firstDir;
  const keep = Object.entries(search).filter(([k, v]) => v && !["sort", "dir", "cursor"].includes(k));
  const right = className?.includes("text-right");
  return (
    <th
      scope="col"
      aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}
      className={cn(
        "whitespace-nowrap px-4 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500",
        className,
      )}
    >
      <Form action={path} scroll={false} className={cn("inline", right && "flex justify-end")}>
        {keep.map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <input type="hidden" name="sort" value={sortKey} />
        <input type="hidden" name="dir" value={next} />
        <button
          type="submit"
          title={`Sort by ${label.toLowerCase()}, ${next === "asc" ? "ascending" : "descending"}`}
          className={cn(
            "-mx-1 inline-flex items-center gap-1 rounded px-1 font-semibold uppercase tracking-wide hover:text-slate-900",
            "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600",
            active ? "text-slate-900" : "text-slate-500",
          )}
        >
          {label}
          <span aria-hidden="true" className={cn("text-[10px]", active ? "opacity-100" : "opacity-40")}>
            {active ? (dir === "asc" ? "▲" : "▼") : "↕"}
          </span>
        </button>
      </Form>
    </th>
  );
}
