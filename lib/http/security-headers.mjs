/**
 * The headers every answer carries: next.config.mjs sets them on what Next serves, scripts/serve.mjs on the agent
 * runtime routes it serves itself. Plain JavaScript, as both of those files are.
 */

/**
 * The Content-Security-Policy. A page's scripts run only with its nonce (`nonce`: made per request by proxy.ts, which
 * Next reads from the request's own copy of this header and puts on the scripts it writes), and what those load
 * ('strict-dynamic': Next's chunks): an injected inline script or event handler does not run. Without a nonce (the
 * API's answers, files), no script runs but from this origin. Styles stay 'unsafe-inline' (recharts and Next style
 * elements inline; a style cannot run code). Nothing loads from elsewhere, and no site may frame the console.
 * @param {boolean} dev @param {string} [nonce] @returns {string}
 */
export const contentSecurityPolicy = (dev, nonce) =>
  [
    "default-src 'self'",
    `script-src 'self'${nonce ? ` 'nonce-${nonce}' 'strict-dynamic'` : ""}${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

/** @param {boolean} dev @returns {{ key: string, value: string }[]} */
export function securityHeaders(dev) {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(dev) },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
    ...(dev ? [] : [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }]),
  ];
}
