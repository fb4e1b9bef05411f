import canonicalize from "canonicalize";

// With the `u` flag a well-formed surrogate pair is one code point, so only unpaired halves match.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** True when a string holds an unpaired UTF-16 surrogate: not text, and PostgreSQL would store U+FFFD or refuse it. */
export const hasLoneSurrogate = (s: string) => LONE_SURROGATE.test(s);

/** No request of ours nests deeper than a handful of levels; 64 leaves room for any real config object. */
export const MAX_JSON_DEPTH = 64;

/**
 * The deepest `[`/`{` nesting of JSON text and how many values it holds (openings and commas, counted outside strings:
 * an array of n values has n − 1 commas), in one linear pass that stops early once past either limit.
 */
export function jsonShape(
  text: string,
  limits: { depth?: number; items?: number } = {},
): { depth: number; items: number } {
  const maxDepth = limits.depth ?? Infinity;
  const maxItems = limits.items ?? Infinity;
  let depth = 0;
  let max = 0;
  let items = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote, the next one not escaped by an odd run of backslashes.
      let end = i;
      for (;;) {
        end = text.indexOf('"', end + 1);
        if (end < 0) return { depth: max, items }; // unterminated (JSON.parse refuses it)
        let k = end - 1;
        while (text.charCodeAt(k) === 0x5c) k--;
        if ((end - 1 - k) % 2 === 0) break;
      }
      i = end;
    } else if (c === 0x5b || c === 0x7b) {
      if (++items > maxItems) return { depth: max, items };
      if (++depth > max) {
        max = depth;
        if (max > maxDepth) return { depth: max, items };
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && ++items > maxItems) return { depth: max, items };
  }
  return { depth: max, items };
}

/** The deepest `[`/`{` nesting of JSON text (jsonShape; stops early past `limit`). */
export const jsonDepth = (text: string, limit = Infinity): number => jsonShape(text, { depth: limit }).depth;

/** The dotted path of the first string (value or key) in a parsed JSON value holding a lone surrogate, or null. */
export const findLoneSurrogate = (value: unknown) => findText(value, hasLoneSurrogate);

/** True when a string holds a NUL character, which PostgreSQL's text and jsonb cannot store. */
export const hasNul = (s: string) => s.includes("\u0000");

/** The dotted path of the first string (value or key) in a parsed JSON value holding a NUL character, or null. */
export const findNul = (value: unknown) => findText(value, hasNul);

/** The dotted path of the first string (value or key) in a parsed JSON value that `bad` finds fault with, or null. */
function findText(value: unknown, bad: (s: string) => boolean, path = ""): string | null {
  if (typeof value === "string") return bad(value) ? path || "_" : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findText(value[i], bad, path ? `${path}.${i}` : String(i));
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      if (bad(k)) return at;
      const found = findText(v, bad, at);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Search text for Prisma's `contains` / `startsWith`, which become LIKE on PostgreSQL with the text passed through:
 * `%` and `_` would match anything. Escaped with LIKE's default escape character, they match themselves.
 */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, "\\$&");

/** The same JSON value, whatever the order of its keys (JSONB answers them in its own order); absent is null. */
export const sameJson = (a: unknown, b: unknown) => canonicalize(a ?? null) === canonicalize(b ?? null);

/**
 * What hides or reorders text: format characters (bidi overrides, zero-width characters, Unicode tags), the rest of
 * Unicode's default-ignorable characters (variation selectors, Hangul fillers…), line and paragraph separators, and
 * control characters but tab, newline and carriage return.
 */
const HIDDEN = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029]|(?![\t\n\r])\p{Cc}/gu;

/**
 * Text from an agent or an MCP server as a person must read it: each character that hides or reorders text (which a
 * model still reads, or a gateway drops) shown as ⟨U+XXXX⟩. `hidden` counts them, for a warning beside it.
 */
export function revealHidden(text: string): { text: string; hidden: number } {
  let hidden = 0;
  const shown = text.replace(HIDDEN, (c) => {
    hidden++;
    return `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}⟩`;
  });
  return { text: shown, hidden };
}

/**
 * The text without the characters revealHidden shows (a name an identity provider sends, say). `joiners` keeps the
 * zero-width joiner and non-joiner, which names in Persian or Indic scripts need.
 */
export const withoutHidden = (text: string, { joiners = false } = {}) =>
  text.replace(HIDDEN, (c) => (joiners && (c === "\u200C" || c === "\u200D") ? c : ""));

/**
 * A name as a system that tidies names before acting would read it: compatibility forms folded (NFKC), invisible
 * characters (zero-width space, soft hyphen, tag characters…) and whitespace dropped. Governance compares names this
 * way, so `db:crm/cust\u00ADomers` is `db:crm/customers` (the tool gate, the resource catalogue).
 */
export const tidyName = (s: string) => s.normalize("NFKC").replace(/[\p{Default_Ignorable_Code_Point}\s]/gu, "");
