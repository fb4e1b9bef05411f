import { securityHeaders } from "./lib/http/security-headers.mjs";

const dev = process.env.NODE_ENV !== "production";

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
  experimental: {
    // With the proxy in front (proxy.ts), Next holds a copy of each request body until it ends, before the route checks
    // who is calling: by default up to 10 MiB, for anyone. Past this, Next passes the route a cut body, still over
    // the API's own 1 MiB limit (lib/http/route.ts: 413) and over server actions' 1 MB.
    proxyClientMaxBodySize: 2 * 1024 * 1024,
    // Next loads every page's and route's server code when it starts, by default: ~100 MiB resident (326–334 → 228–233
    // MiB after start-up on PostgreSQL; 445 → 383 MiB after opening 15 console pages) for code an instance may never
    // run (one behind the runtime's routes, an export, the console's rarely opened pages). Each loads at its first
    // request instead: measured ~15 ms more on a page's first visit, nothing after.
    preloadEntriesOnStart: false,
  },
  // npm test type-checks the whole project (tsc --noEmit) before it builds, and says so: the build need not again.
  typescript: { ignoreBuildErrors: process.env.ACP_TYPECHECKED === "1" },
  typedRoutes: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: securityHeaders(dev),
      },
    ];
  },
};

export default nextConfig;
