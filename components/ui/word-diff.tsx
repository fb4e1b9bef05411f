import { diffWordsWithSpace } from "diff";

/**
 * One side of a word-level diff of `from` → `to`: the text as it was with what went marked ("before"), or as it is
 * with what came marked ("after"). A sentence slipped into a long description is otherwise easy to read past. Past
 * MAX_EDITS the text is shown unmarked.
 */
export function WordDiff({ from, to, side }: { from: string; to: string; side: "before" | "after" }) {
  const parts = diffWordsWithSpace(from, to, { maxEditLength: MAX_EDITS });
  if (!parts) return <>{side === "before" ? from : to}</>;
  return (
    <>
      {parts.map((p, i) =>
        p.added ? (
          side === "after" ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts are fixed for this render, in order
            <ins key={i} className="rounded-sm bg-amber-200 text-amber-950 no-underline">
              {p.value}
            </ins>
          ) : null
        ) : p.removed ? (
          side === "before" ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts are fixed for this render, in order
            <del key={i} className="rounded-sm bg-rose-100 text-rose-900">
              {p.value}
            </del>
          ) : null
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts are fixed for this render, in order
          <span key={i}>{p.value}</span>
        ),
      )}
    </>
  );
}

const MAX_EDITS = 2000;
