/**
 * "On this page": links to a long page's sections, wrapping onto more lines on a phone. Each target is a Card with
 * that `id` (its scroll margin keeps it clear of the phone's sticky top bar).
 */
export function SectionLinks({ links }: { links: { id: string; label: string }[] }) {
  return (
    <nav aria-label="On this page" className="-mt-2 mb-6 flex flex-wrap items-center gap-1 text-sm">
      <span className="pr-1 text-slate-500">On this page:</span>
      {links.map((l) => (
        <a
          key={l.id}
          href={`#${l.id}`}
          className="rounded-md px-2 py-1 font-medium text-indigo-700 ring-1 ring-inset ring-slate-200 hover:bg-indigo-50"
        >
          {l.label}
        </a>
      ))}
    </nav>
  );
}
