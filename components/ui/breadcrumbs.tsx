import Link from "next/link";

/** Where a detail page sits: its section, any pages between, then the page itself (not a link). */
export function Breadcrumbs({ trail, current }: { trail: { href: string; label: string }[]; current: string }) {
  return (
    <nav className="mb-2 text-sm text-slate-500" aria-label="Breadcrumb">
      <ol className="flex flex-wrap items-center gap-x-1.5">
        {trail.map((t) => (
          <li key={t.href} className="flex items-center gap-x-1.5">
            <Link href={t.href} className="hover:text-slate-900 hover:underline">
              {t.label}
            </Link>
            <span aria-hidden>/</span>
          </li>
        ))}
        <li aria-current="page" className="min-w-0 break-all text-slate-700">
          {current}
        </li>
      </ol>
    </nav>
  );
}
