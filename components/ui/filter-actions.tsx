import Link from "next/link";

/** The end of a filter bar: Apply, and Clear once any filter is set. */
export function FilterActions({ clearHref, filtered }: { clearHref: string; filtered: boolean }) {
  return (
    <>
      <button
        type="submit"
        className="rounded-md bg-slate-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700"
      >
        Apply
      </button>
      {filtered ? (
        <Link href={clearHref} className="px-1 py-1.5 text-sm text-slate-600 hover:text-slate-900">
          Clear
        </Link>
      ) : null}
    </>
  );
}
