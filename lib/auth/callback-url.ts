/** The callback-url cookie's names (plain, and with the prefix next-auth uses over https). */
export const CALLBACK_URL_COOKIES = ["next-auth.callback-url", "__Secure-next-auth.callback-url"];

/**
 * next-auth checks the callback-url cookie before anything else and, when it is not an http(s) URL, refuses to
 * run at all ("a problem with the server configuration"): every page reading the session answered 500. This is its
 * check, so the proxy can drop such a cookie before next-auth sees it.
 */
export function isUsableCallbackUrl(value: string, origin: string): boolean {
  try {
    return /^https?:/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

/** A Cookie header without the named cookies (the others kept byte for byte). */
export function cookieHeaderWithout(header: string, names: string[]): string {
  return header
    .split(";")
    .filter((part) => !names.includes(part.split("=")[0].trim()))
    .join(";")
    .trim();
}

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
