/**
 * next-auth's redirect callback. Its default parses the `next-auth.callback-url` cookie with `new URL`, which throws
 * on a malformed value (`http://[`), and that broke every console page for the browser holding the cookie. The
 * cookie is client input: anything unparsable or off-site falls back to the console's own origin.
 */
export function safeCallbackUrl({ url, baseUrl }: { url: string; baseUrl: string }): string {
  try {
    const base = new URL(baseUrl);
    const target = new URL(url, base);
    return target.origin === base.origin ? target.href : baseUrl;
  } catch {
    return baseUrl;
  }
}
