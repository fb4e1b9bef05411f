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
