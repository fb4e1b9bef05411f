/**
 * The HTTP server behind `npm start` / `npm run dev` (started by scripts/start.ts): Next's request handler on
 * a plain Node server, so that the socket's address reaches the app. Next's route handlers do not expose the
 * socket, and the X-Forwarded-For that Next fills in is whatever the client sent, when it sent one; so every
 * request gets the socket peer in PEER_HEADER here, replacing any copy the client sent (see
 * lib/http/client-address.ts). Env: PORT, HOST, KEEP_ALIVE_TIMEOUT_MS, ACP_INSTANCE_ID (echoed in an
 * X-ACP-Instance header, for harnesses); `--dev` for development.
 *
 * Plain JavaScript run by Node itself: under the tsx loader, which transforms every module Next loads, the same
 * server took twice the memory (522 MiB resident after start-up instead of 268).
 */
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { Readable } from "node:stream";
import next from "next";
import { DIRECT_ROUTES } from "../lib/http/direct-routes.mjs";
import { securityHeaders } from "../lib/http/security-headers.mjs";

/** PEER_HEADER of lib/http/client-address.ts (its test checks that they agree). */
const PEER_HEADER = "x-acp-peer-address";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";
const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

async function main() {
  const app = next({ dev, hostname: host, port, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();
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
    const q = req.url.indexOf("?");
    const route = req.method === "POST" ? direct?.get(q < 0 ? req.url : req.url.slice(0, q)) : undefined;
    if (route) void serveDirect(route, req, res);
    else void handle(req, res);
  });
  // Node's 5 s keep-alive timeout races clients reusing an idle connection just as it closes (ECONNRESET);
  // 15 s makes that rare. Behind a load balancer, set it above the balancer's idle timeout (e.g. 65000).
  if (!dev) server.keepAliveTimeout = Number(process.env.KEEP_ALIVE_TIMEOUT_MS ?? 15_000);
  server.listen(port, host, () =>
    console.log(`[serve] ${dev ? "development" : "production"} server on http://${host}:${port}`),
  );
  for (const sig of ["SIGINT", "SIGTERM"]) {
    process.on(sig, () => {
      // Stop accepting, answer what is in flight, close idle keep-alive connections; give up after 30 s.
      server.close(() => void app.close().finally(() => process.exit(0)));
      server.closeIdleConnections();
      setTimeout(() => process.exit(0), 30_000).unref();
    });
  }
}

/** The handlers of lib/http/direct-routes.mjs, from the production build Next serves. */
async function directRoutes() {
  const require = createRequire(import.meta.url);
  // Read once Next has set up its server environment: next/server loaded before it keeps a stand-in for the
  // AsyncLocalStorage that Next's own request handling then fails on.
  const { NextRequest } = await import("next/server.js");
  const routes = new Map();
  for (const route of DIRECT_ROUTES) {
    // Next's own module for the route (what it requires for the path, so the same instance): its handler is the route
    // file's POST export, the declared route (lib/http/route.ts), which answers every error itself.
    const { routeModule } = require(path.join(process.cwd(), ".next", "server", "app", route, "route.js"));
    await routeModule.ensureUserland();
    const { POST } = routeModule.userland;
    if (typeof POST !== "function") throw new Error(`${route} has no POST handler`);
    routes.set(route, { POST, NextRequest });
  }
  return routes;
}

/** The headers next.config.mjs gives every answer Next serves. */
const SECURITY_HEADERS = securityHeaders(false);

/**
 * Calls a direct route as Next would: the request as a NextRequest (its body streamed, no path parameters), the
 * answer written with next.config.mjs's headers. The URL's origin is this server's own, not the Host header's (the
 * routes read only the path and query; a malformed Host cannot fail the request).
 */
async function serveDirect({ POST, NextRequest }, req, res) {
  try {
    const headers = new Headers();
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
    const request = new NextRequest(new URL(req.url, origin), {
      method: req.method,
      headers,
      body: Readable.toWeb(req),
      duplex: "half",
    });
    const response = await POST(request, { params: Promise.resolve({}) });
    const body = Buffer.from(await response.arrayBuffer());
    res.statusCode = response.status;
    for (const { key, value } of SECURITY_HEADERS) res.setHeader(key, value);
    for (const [name, value] of response.headers) res.appendHeader(name, value);
    res.setHeader("content-length", body.length);
    res.end(body);
  } catch (err) {
    // Not reached by the routes' own errors (they answer them); a failure here is the server's.
    console.error("[serve] direct route failed", err);
    if (res.headersSent) return void res.destroy();
    res.statusCode = 500;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ error: { code: "internal_error", message: "Something went wrong on our side" } }));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
