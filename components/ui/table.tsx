import Form from "next/form";
import { Button } from "./button";
import { cn } from "./cn";
import { Select } from "./field";
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
 * A first press sorts by `firstDir` (descending suits amounts and percentages); the next one reverses. On a phone
 * the header is a label (with the order's arrow when it is the one sorted by): the table's PhoneSort sorts there.
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
  const keep = keptParams(search);
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
      {/* On a phone the header only says the order: PhoneSort sets it there, so there is one way to sort, not two. */}
      <span className="sm:hidden">
        {label}
        {active ? <span aria-hidden="true"> {dir === "asc" ? "▲" : "▼"}</span> : null}
      </span>
      <Form action={path} scroll={false} className={cn("hidden sm:inline", right && "sm:flex sm:justify-end")}>
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

/** The page's other parameters, which a change of order keeps (the order and the page it was on go). */
const keptParams = (search: Record<string, string | undefined>) =>
  Object.entries(search).filter(([k, v]) => v && !["sort", "dir", "cursor"].includes(k));

/**
 * On a phone, where a sortable table hides some of its columns (and their headers): every order the headers give,
 * from a select and a direction, through the URL as the headers do.
 */
export function PhoneSort({
  options,
  sort,
  dir,
  path,
  search,
}: {
  options: { key: string; label: string }[];
  sort?: string;
  dir: SortDir;
  path: string;
  search: Record<string, string | undefined>;
}) {
  return (
    <Form
      action={path}
      scroll={false}
      aria-label="Sort"
      className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-4 py-2 text-sm sm:hidden"
    >
      {keptParams(search).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <label htmlFor="phone-sort" className="text-slate-600">
        Sort by
      </label>
      <Select id="phone-sort" name="sort" defaultValue={sort} className="w-auto">
        {options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.label}
          </option>
        ))}
      </Select>
      <Select name="dir" defaultValue={dir} aria-label="Direction" className="w-auto">
        <option value="asc">ascending</option>
        <option value="desc">descending</option>
      </Select>
      <Button type="submit" variant="secondary">
        Sort
      </Button>
    </Form>
  );
}
