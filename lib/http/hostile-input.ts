import { DomainError } from "@/lib/domain/errors";
import { findLoneSurrogate, findNul, hasLoneSurrogate, hasNul, jsonDepth, MAX_JSON_DEPTH } from "@/lib/domain/text";

export { findLoneSurrogate, findNul, hasLoneSurrogate, hasNul, jsonDepth, MAX_JSON_DEPTH };

/**
 * Checks on raw input that must run before anything else touches it. JSON nested thousands of levels deep is
 * refused before it is parsed (recursive validators, serialisers and PostgreSQL's jsonb would otherwise overflow
 * or stall on it), and text holding a lone UTF-16 surrogate (which a JSON `\ud800` escape can smuggle in) is
 * refused instead of being stored as U+FFFD or breaking the audit hash and the database's JSON.
 */

export const tooDeep = () =>
  new DomainError("validation", "too_deep", `The request body is nested more than ${MAX_JSON_DEPTH} levels deep`);
export const loneSurrogate = (where?: string) =>
  new DomainError(
    "validation",
    "lone_surrogate",
    "Text may not contain unpaired UTF-16 surrogates (e.g. \\ud800)",
    where ? { [where]: ["contains an unpaired surrogate"] } : undefined,
  );
/** PostgreSQL's text and jsonb cannot hold NUL characters: refused up front (the API's bodies and queries, forms). */
export const nulCharacter = (where?: string) =>
  new DomainError(
    "validation",
    "nul_character",
    "Text may not contain NUL (\\u0000) characters",
    where ? { [where]: ["contains a NUL character"] } : undefined,
  );
export const badPath = () =>
  new DomainError("bad_request", "bad_path", "The request path is not valid percent-encoded UTF-8");

/** Throws 422 too_deep when JSON text nests deeper than MAX_JSON_DEPTH. */
export function assertJsonDepth(text: string): void {
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw tooDeep();
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/**
 * Parses a JSON request body: depth checked before parsing, lone surrogates refused after.
 * Empty text is an empty object (a POST with no body).
 */
export function parseJsonBody(text: string): unknown {
  if (!text) return {};
  assertJsonDepth(text);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DomainError("validation", "invalid_json", "The request body is not valid JSON");
  }
  // A lone surrogate in the parsed value comes from the text: as itself, or as a `\uD800`–`\uDFFF` escape. Text
  // with neither (nearly every body) is not walked.
  const at = hasLoneSurrogate(text) || SURROGATE_ESCAPE.test(text) ? findLoneSurrogate(body) : null;
  if (at) throw loneSurrogate(at);
  return body;
}

/** Query and path parameters: lone surrogates refused the same way as in bodies. */
export function assertWellFormedParams(values: Iterable<[string, string]>): void {
  for (const [k, v] of values) {
    if (hasLoneSurrogate(k) || hasLoneSurrogate(v)) throw loneSurrogate(k);
  }
}

/**
 * True when every segment of a raw (still percent-encoded) URL path decodes as UTF-8. Next decodes dynamic
 * segments with decodeURIComponent, which throws on `%E0%A4%A` or an encoded surrogate: checked first, it is a 400.
 */
export function isWellEncodedPath(rawPath: string): boolean {
  try {
    for (const segment of rawPath.split("/")) if (segment.includes("%")) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}
