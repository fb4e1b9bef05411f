import "server-only";
import { DomainError } from "@/lib/domain/errors";

/**
 * Cross-site request forgery defence for cookie-authenticated API writes (a bearer token is never sent by a
 * browser on its own, so token calls are not checked). SameSite=Lax cookies still ride along on same-site
 * requests and on top-level navigations, and a `text/plain` POST needs no CORS preflight; so a write with the
 * session cookie must come from this origin and carry JSON.
 *
 * - `Sec-Fetch-Site` (sent by every current browser), when present, must be `same-origin`;
 * - `Origin` must be present and equal this app's origin: NEXTAUTH_URL's, or the one the request's own Host
 *   names (scheme from X-Forwarded-Proto / the URL). A write without Origin is refused: browsers send it on
 *   every POST/PUT/PATCH/DELETE, and scripts use tokens;
 * - a body must be `Content-Type: application/json` (else 415): the content types a page may send cross-site
 *   without a preflight are exactly the ones refused.
 */
const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function allowedOrigins(req: Request): Set<string> {
  const origins = new Set<string>();
  try {
    if (process.env.NEXTAUTH_URL) origins.add(new URL(process.env.NEXTAUTH_URL).origin);
  } catch {
    // an unparseable NEXTAUTH_URL adds nothing
  }
  const host = req.headers.get("host");
  if (host) {
    const proto =
      req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || new URL(req.url).protocol.replace(":", "");
    try {
      origins.add(new URL(`${proto}://${host}`).origin);
    } catch {
      // a malformed Host adds nothing
    }
  }
  return origins;
}

/** Throws 403 cross_origin or 415 unsupported_media_type for a cookie-authenticated write that is not same-origin JSON. */
export function requireSameOriginWrite(req: Request, opts: { jsonBody: boolean }): void {
  if (!WRITE_METHODS.has(req.method.toUpperCase())) return;
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin") throw crossOrigin(`Sec-Fetch-Site is ${site.slice(0, 40)}`);
  const origin = req.headers.get("origin");
  if (!origin || origin === "null" || !allowedOrigins(req).has(origin))
    throw crossOrigin(origin ? "the Origin is not this console's" : "no Origin header");
  if (!opts.jsonBody) return;
  const type = req.headers.get("content-type");
  const hasBody = Number(req.headers.get("content-length") ?? 0) > 0 || req.headers.has("transfer-encoding");
  if (type ? !/^application\/json\s*(;|$)/i.test(type.trim()) : hasBody) {
    throw new DomainError(
      "unsupported_media_type",
      "unsupported_media_type",
      "Send the body as JSON (Content-Type: application/json)",
    );
  }
}

const crossOrigin = (why: string) =>
  new DomainError(
    "forbidden",
    "cross_origin",
    `Cross-site request refused (${why}): a write with the console's session cookie must come from the console itself; scripts send a token (Authorization: Bearer …)`,
  );
