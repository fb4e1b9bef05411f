/**
 * The headers every answer carries: next.config.mjs sets them on what Next serves, scripts/serve.mjs on the agent
 * runtime routes it serves itself. Plain JavaScript, as both of those files are.
 */

// Next.js hydrates with inline scripts and recharts styles inline, hence 'unsafe-inline' for those two; nothing
// else may load from elsewhere, and no site may frame the console (clickjacking).
const csp = (dev) =>
  [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
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
    { key: "Content-Security-Policy", value: csp(dev) },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
    ...(dev ? [] : [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }]),
  ];
}
