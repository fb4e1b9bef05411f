import fs from "node:fs";
import path from "node:path";

/**
 * Every route file under app/api with the methods it exports (read from the source, not imported): the ground
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
  walk(path.join(appDir, "api"));
  return out;
}
