const dev = process.env.NODE_ENV !== "production";

// Next.js hydrates with inline scripts and recharts styles inline, hence 'unsafe-inline' for those two; nothing
// else may load from elsewhere, and no site may frame the console (clickjacking).
const csp = [
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

/**
 * Plain JavaScript: a next.config.ts makes every server start load Next's SWC compiler (24 MiB resident) just to
 * transpile this file.
 * @type {import("next").NextConfig}
 */
const nextConfig = {
  // Native and Wasm packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@node-rs/argon2",
    "pg",
    "pg-copy-streams",
    "@prisma/adapter-pg",
    "pino",
  ],
  poweredByHeader: false,
  // npm test type-checks the whole project (tsc --noEmit) before it builds, and says so: the build need not again.
  typescript: { ignoreBuildErrors: process.env.ACP_TYPECHECKED === "1" },
  typedRoutes: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: csp },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
          ...(dev ? [] : [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }]),
        ],
      },
    ];
  },
};

export default nextConfig;
