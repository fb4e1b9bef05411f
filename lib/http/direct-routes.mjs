/**
 * The agent runtime's hot POST routes, which scripts/serve.mjs calls itself instead of through Next's request handling
 * (~1–1.5 ms of a ~6 ms authorize on a 2-core machine). They are the routes proxy.ts's matcher leaves out, so Next
 * would run no proxy for them either (direct-routes.test.ts checks both). Each is the route file's own handler,
 * loaded from the same build: one instance of every module, declared once.
 */
export const DIRECT_ROUTES = [
  "/api/v1/runtime/authorize",
  "/api/v1/runtime/usage",
  "/api/v1/runtime/outcomes",
  "/api/v1/otlp/v1/traces",
];

/**
 * What the data plane (`scripts/serve.mjs --data-plane`) serves besides DIRECT_ROUTES: the probes a load balancer
 * checks it by (GET). Every other request there is a 404: the console and the rest of the API are the console's.
 */
export const DATA_PLANE_PROBES = ["/api/ready", "/api/v1/health"];

/**
 * Node's flags for the data plane's process. Its old generation starts at 256 MiB instead of growing from a few: the
 * process holds ~40 MiB, and V8's small starting limit made it run a full collection (7–15 ms, pausing every call in
 * flight) every ~800 calls; with it, one or two in 8,000 (measured with a PerformanceObserver for `gc` entries).
 */
export const DATA_PLANE_NODE_ARGS = ["--initial-old-space-size=256"];
