/**
 * For scripts that run lib/ modules outside Next.js (the seed, the crash test, the benchmarks): `server-only`
 * marks modules that must never reach a client bundle, and throws when imported outside the react-server
 * condition. Next.js resolves it to an empty module on the server; this does the same for this process (modules
 * resolved after it is registered: load it with `--import`, or before the script's dynamic imports of lib/).
 */
import { register } from "node:module";

const hook = `export async function resolve(specifier, context, next) {
  return specifier === "server-only" ? { url: "data:text/javascript,", shortCircuit: true } : next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
