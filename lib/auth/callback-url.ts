/**
 * Where to go after signing in: only ever a path on this origin, else "/". Browsers treat "\" like "/", drop
 * tabs and newlines inside URLs, and read "//host" or "/\host" as another host; so the value is resolved the
 * way a browser resolves it (WHATWG URL) against this origin, kept only if it stays here, and handed back as
 * a path that cannot be read as protocol-relative.
 */
export function safeCallbackPath(value: unknown, origin: string = appOrigin()): string {
  if (typeof value !== "string" || !value || value.length > 2000) return "/";
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(value, base);
  } catch {
    return "/";
  }
  if (url.origin !== base.origin) return "/";
  const path = url.pathname + url.search + url.hash;
  if (!path.startsWith("/") || path.startsWith("//")) return "/";
  return path;
}

/** This app's own origin (NEXTAUTH_URL), for comparisons. */
export function appOrigin(): string {
  try {
    return new URL(process.env.NEXTAUTH_URL ?? "").origin;
  } catch {
    return "http://localhost";
  }
}
