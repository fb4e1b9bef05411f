/**
 * Writes app/api/v1/_openapi/route-modules.ts, the imports of every API route module the OpenAPI document is
 * generated from, so adding a route file needs no hand-kept list. Run it after adding or moving a route file:
 * `npm run api:routes` (the OpenAPI unit test fails until you do).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { documentedRouteFolders, renderRouteModules } from "../lib/http/route-files";

const out = "app/api/v1/_openapi/route-modules.ts";
fs.writeFileSync(out, renderRouteModules(documentedRouteFolders()));
const format = spawnSync("npx", ["biome", "check", "--write", out], { stdio: "inherit" });
process.exit(format.status ?? 1);
