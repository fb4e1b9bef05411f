/**
 * The HTTP server behind `npm start` / `npm run dev` (started by scripts/start.ts): Next's request handler on
 * a plain Node server, so that the socket's address reaches the app. Next's route handlers do not expose the
 * socket, and the X-Forwarded-For that Next fills in is whatever the client sent, when it sent one; so every
 * request gets the socket peer in PEER_HEADER here, replacing any copy the client sent (see
 * lib/http/client-address.ts). Env: PORT, HOST, KEEP_ALIVE_TIMEOUT_MS, ACP_INSTANCE_ID (echoed in an
 * X-ACP-Instance header, for harnesses); `--dev` for development.
 *
 * `--data-plane`: the agent runtime's hot routes (lib/http/direct-routes.mjs) and the readiness probes, from the same
 * production build, in a process without Next. What the console does (rendering pages, spend and audit reads, its
 * background jobs) then never pauses an agent's authorize: Next's process allocates and collects garbage for all of
 * it, and each collection stops every request in flight. Everything else answers 404 there. PostgreSQL only: the
 * embedded database opens in one process.
 *
 * Plain JavaScript run by Node itself: under the tsx loader, which transforms every module Next loads, the same
 * server took twice the memory (522 MiB resident after start-up instead of 268).
 */
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { DATA_PLANE_PROBES, DIRECT_ROUTES } from "../lib/http/direct-routes.mjs";
import { securityHeaders } from "../lib/http/security-headers.mjs";

/** PEER_HEADER of lib/http/client-address.ts (its test checks that they agree). */
const PEER_HEADER = "x-acp-peer-address";

const dev = process.argv.includes("--dev");
const dataPlane = process.argv.includes("--data-plane");
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";
const require = createRequire(import.meta.url);

async function main() {
  const app = dataPlane ? null : (await import("next")).default({ dev, hostname: host, port, dir: process.cwd() });
  if (dataPlane) {
    // What Next itself does before serving, and nothing else of it: the .env files (so both processes run with the
    // same settings) and its server environment (the AsyncLocalStorage the routes' modules expect).
    require("@next/env").loadEnvConfig(process.cwd(), false);
    if (dev || !/^postgres(ql)?:\/\//.test(process.env.DATABASE_URL?.trim() ?? ""))
      throw new Error("the data plane runs on the production build against PostgreSQL (DATABASE_URL) only");
    if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID")))
      throw new Error("the data plane serves the production build: run `npm run build` first");
    require("next/dist/server/node-environment.js");
  } else await app.prepare();
  const handle = app?.getRequestHandler();
  const direct = dev ? null : await directRoutes();
  // A harness that started this process names it, so it can tell this server from another on the same port.
  const instance = process.env.ACP_INSTANCE_ID;
  const server = http.createServer((req, res) => {
    if (instance) res.setHeader("x-acp-instance", instance);
    // The client's own copy is dropped from both views of the headers.
    const raw = req.rawHeaders;
    for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i].toLowerCase() === PEER_HEADER) raw.splice(i, 2);
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
    raw.push(PEER_HEADER, req.headers[PEER_HEADER]);
    // The path without its query; from an absolute-form target (`POST http://host/path`, which a balancer routes by
    // its path and passes on as sent), without the scheme and host.
    const target = req.url.startsWith("/") ? req.url : req.url.replace(/^https?:\/\/[^/?#]*/i, "");
    const q = target.indexOf("?");
    const route = direct?.get(`${req.method} ${q < 0 ? target : target.slice(0, q)}`);
    if (route) void serveDirect(route, req, res);
    else if (handle) void handle(req, res);
    else answer(res, 404, { code: "not_found", message: "Not a route of the data plane: the console serves it" });
  });
  // Node's 5 s keep-alive timeout races clients reusing an idle connection just as it closes (ECONNRESET);
  // 15 s makes that rare. Behind a load balancer, set it above the balancer's idle timeout (e.g. 65000).
  if (!dev) server.keepAliveTimeout = Number(process.env.KEEP_ALIVE_TIMEOUT_MS ?? 15_000);
  // A request's headers within 20 s and its whole body within 60 s (Node's defaults: 60 s and 5 minutes), so a
  // client trickling a body cannot hold its connection and what was read of it for long.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.listen(port, host, () =>
    console.log(
      `[serve] ${dataPlane ? "data plane (runtime API)" : dev ? "development server" : "production server"} on http://${host}:${port}`,
    ),
  );
  for (const sig of ["SIGINT", "SIGTERM"]) {
    process.on(sig, () => {
      // Stop accepting, answer what is in flight, close idle keep-alive connections; give up after 30 s.
      server.close(() => void (app?.close() ?? Promise.resolve()).finally(() => process.exit(0)));
      server.closeIdleConnections();
      setTimeout(() => process.exit(0), 30_000).unref();
    });
  }
}

/**
 * The handlers this server calls itself, by "METHOD /path", from the production build Next serves: the POSTs of
 * lib/http/direct-routes.mjs, and on the data plane its probes (GET).
 */
async function directRoutes() {
  // Read once Next has set up its server environment: next/server loaded before it keeps a stand-in for the
  // AsyncLocalStorage that Next's own request handling then fails on.
  ({ NextRequest } = await import("next/server.js"));
  const routes = new Map();
  const served = [
    ...DIRECT_ROUTES.map((route) => ["POST", route]),
    ...(dataPlane ? DATA_PLANE_PROBES.map((route) => ["GET", route]) : []),
  ];
  for (const [method, route] of served) {
    // Next's own module for the route (what it requires for the path, so the same instance): its handler is the route
    // file's export, for the runtime routes the declared route (lib/http/route.ts), which answers every error itself.
    const { routeModule } = require(path.join(process.cwd(), ".next", "server", "app", route, "route.js"));
    await routeModule.ensureUserland();
    const handler = routeModule.userland[method];
    if (typeof handler !== "function") throw new Error(`${route} has no ${method} handler`);
    routes.set(`${method} ${route}`, handler);
  }
  return routes;
}

/** next/server's NextRequest, read by directRoutes() once Next is ready. */
let NextRequest;

/** The routes read only a request's path and query: its URL is given a fixed origin (not HOST, not the Host header). */
const ORIGIN = "http://localhost";

/** The headers next.config.mjs gives every answer Next serves. */
const SECURITY_HEADERS = securityHeaders(false);

/** An error answer as the API writes one (lib/http/errors.ts), with next.config.mjs's headers. */
function answer(res, status, error) {
  for (const { key, value } of SECURITY_HEADERS) res.setHeader(key, value);
  res.statusCode = status;
  res.setHeader("content-type", "application/json");
  res.setHeader("cache-control", "no-store");
  res.end(JSON.stringify({ error }));
}

/**
 * Calls a direct route as Next would: the request as a NextRequest (a POST's body streamed, no path parameters), the
 * answer written with next.config.mjs's headers.
 */
async function serveDirect(handler, req, res) {
  for (const { key, value } of SECURITY_HEADERS) res.setHeader(key, value);
  try {
    // The headers as Node merged them (one Authorization of duplicates, the others joined), as Next passes them.
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
    // The body is the request itself, read only as the route reads it: a body the route never reads (a 401 before
    // it) is left to Node, which discards it after the answer and keeps the connection usable.
    const request = new NextRequest(new URL(req.url, ORIGIN), {
      method: req.method,
      headers,
      ...(req.method === "POST" ? { body: req, duplex: "half" } : {}),
    });
    const response = await handler(request, { params: Promise.resolve({}) });
    const body = Buffer.from(await response.arrayBuffer());
    res.statusCode = response.status;
    for (const [name, value] of response.headers) res.appendHeader(name, value);
    res.setHeader("content-length", body.length);
    res.end(body);
  } catch (err) {
    // Not reached by the routes' own errors (they answer them); a failure here is the server's.
    console.error("[serve] direct route failed", err);
    if (res.headersSent) return void res.destroy();
    answer(res, 500, { code: "internal_error", message: "Something went wrong on our side" });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
