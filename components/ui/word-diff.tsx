import { type ChangeObject, diffWordsWithSpace } from "diff";

export type WordChanges = ChangeObject<string>[] | undefined;

/**
 * A word-level diff of `from` → `to`, computed once for both sides; undefined past MAX_EDITS edits or TIMEOUT_MS (a
 * description a hostile server made long and different must not hold up the page that judges it).
 */
export const wordChanges = (from: string, to: string): WordChanges =>
  diffWordsWithSpace(from, to, { maxEditLength: MAX_EDITS, timeout: TIMEOUT_MS });

/**
 * One side of a word diff: the text as it was with what went marked ("before"), or as it is with what came marked
 * ("after"). A sentence slipped into a long description is otherwise easy to read past. Without changes (too many to
 * diff) the side's `text` is shown unmarked.
 */
export function WordDiff({ changes, text, side }: { changes: WordChanges; text: string; side: "before" | "after" }) {
  if (!changes) return <>{text}</>;
  return (
    <>
      {changes.map((p, i) =>
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
const TIMEOUT_MS = 50;
