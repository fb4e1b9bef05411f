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
import next from "next";

/** PEER_HEADER of lib/http/client-address.ts (its test checks that they agree). */
const PEER_HEADER = "x-acp-peer-address";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";

async function main() {
  const app = next({ dev, hostname: host, port, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();
  // A harness that started this process names it, so it can tell this server from another on the same port.
  const instance = process.env.ACP_INSTANCE_ID;
  const server = http.createServer((req, res) => {
    if (instance) res.setHeader("x-acp-instance", instance);
    // The client's own copy is dropped from both views of the headers.
    const raw = req.rawHeaders;
    for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i].toLowerCase() === PEER_HEADER) raw.splice(i, 2);
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
    raw.push(PEER_HEADER, req.headers[PEER_HEADER]);
    void handle(req, res);
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

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
