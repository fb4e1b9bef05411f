import fs from "node:fs";
import path from "node:path";

/**
 * Every route file under app/api (and app/access, app/.well-known) with the methods it exports (read from the source, not imported): the ground
 * truth the role-matrix registry and the OpenAPI document must both cover.
 */
export function scanRoutes(appDir = path.join(process.cwd(), "app")): { route: string; method: string }[] {
  const out: { route: string; method: string }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "route.ts") {
        const src = fs.readFileSync(p, "utf8");
        const route = `/${path.relative(appDir, path.dirname(p)).split(path.sep).join("/")}`;
        const methods = [
          ...src.matchAll(/export\s+(?:const|(?:async\s+)?function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g),
        ].map((m) => m[1]);
        // next-auth's catch-all re-exports its handler under GET/POST.
        for (const method of methods.length ? methods : src.includes("NextAuth") ? ["GET"] : [])
          out.push({ route, method });
      }
    }
  };
  // The API, and the standard paths outside it: AuthZEN's /access/v1 and its /.well-known metadata.
  for (const top of ["api", "access", ".well-known"])
    if (fs.existsSync(path.join(appDir, top))) walk(path.join(appDir, top));
  return out;
}

/** Route files outside the OpenAPI document, and why. */
export const UNDOCUMENTED: Record<string, string> = {
  "/api/auth/[...nextauth]": "next-auth's own sign-in endpoints",
  "/api/health": "liveness probe for load balancers",
  "/api/ready": "readiness probe for load balancers",
  "/api/v1/health": "liveness probe (kept for monitors set up before /api/health)",
  "/api/v1/openapi.json": "the document itself",
  "/.well-known/authzen-configuration": "AuthZEN policy decision point metadata (public, the spec's own format)",
  "/.well-known/acp-audit-keys.json": "the audit checkpoints' public keys (public, a key set the verifier reads)",
};

/** The documented route folders: every route file but the UNDOCUMENTED ones. */
export function documentedRouteFolders(appDir?: string): string[] {
  return [...new Set(scanRoutes(appDir).map((r) => r.route))].filter((r) => !(r in UNDOCUMENTED)).sort();
}

/** `/api/v1/agents/[id]/keys` → `agentsIdKeys`. */
const moduleName = (folder: string) =>
  folder
    .replace(/^\/api\/v1\//, "")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w, i) => (i ? w[0].toUpperCase() + w.slice(1) : w))
    .join("");

/** The source of app/api/v1/_openapi/route-modules.ts (written by `npm run api:routes`). */
export function renderRouteModules(folders: string[]): string {
  return [
    "// Written by `npm run api:routes` from the route files under app/api: do not edit by hand.",
    'import type { RouteModule } from "@/lib/http/openapi";',
    ...folders.map((f) => `import * as ${moduleName(f)} from "@/app${f}/route";`),
    "",
    "/** Every documented route module, keyed by its folder under app/. */",
    "export const ROUTES: Record<string, RouteModule> = {",
    ...folders.map((f) => `  "${f}": ${moduleName(f)},`),
    "};",
    "",
  ].join("\n");
}
