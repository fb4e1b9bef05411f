import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { makeOrg } from "@/lib/test/fixtures";
import { systemActor } from "../../actor";
import { createTeam } from "../../teams/create-team";
import { verifyWebhookSignature } from "../../webhooks/signature";
import { auditHash } from "../hash";
import { createAuditSink, deleteAuditSink, listAuditSinks } from "./commands";
import { deliverAuditSinks } from "./deliver";

// Real receivers on real sockets: an HTTP server (NDJSON and Splunk HEC) and a syslog listener (TCP and TLS), each
// stopped mid-stream and started again on the same port. Nothing may be lost or reordered; duplicates are allowed
// (at least once) and the receiver drops them by position, as a SIEM would.

type Received = { position: string; prevHash: string; hash: string; [k: string]: unknown };

/** What a receiver keeps: every record as it arrived, and the deduplicated trail. */
function ledger() {
  const arrivals: Received[] = [];
  return {
    arrivals,
    add: (r: Received) => arrivals.push(r),
    /** Keeps the first copy of each position; checks they arrive in order with no gap and the chain links. */
    trail() {
      const seen = new Set<string>();
      const unique = arrivals.filter((r) => !seen.has(r.position) && seen.add(r.position));
      for (const [i, r] of unique.entries()) {
        expect(auditHash(r as never), `hash at ${r.position}`).toBe(r.hash);
        if (i > 0) {
          expect(BigInt(r.position), "in order, no gap").toBe(BigInt(unique[i - 1].position) + 1n);
          expect(r.prevHash, `link at ${r.position}`).toBe(unique[i - 1].hash);
        }
      }
      return { unique, duplicates: arrivals.length - unique.length };
    },
  };
}

type Server = http.Server | net.Server;
/** Listens on `port` (0: any); `stop` also cuts open connections, as a crash would. */
async function listen(server: Server, port = 0) {
  const sockets = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("secureConnection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * An HTTP receiver answering 200 to each batch, until `crashAfter` batches: then it drops the connection and stops.
 * As Splunk (with a token), it wants the token and a channel, answers an ackId and confirms it on the second poll
 * of /services/collector/ack: records count as received only once confirmed.
 */
function httpReceiver(
  book: ReturnType<typeof ledger>,
  opts: { splunkToken?: string; secret?: () => string; maxRecords?: number },
) {
  let batches = 0;
  let crashAfter = Number.POSITIVE_INFINITY;
  let onCrash: () => void = () => {};
  const unconfirmed = new Map<number, { polls: number; records: Received[] }>();
  let nextAck = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const splunk = opts.splunkToken !== undefined;
      if (splunk && req.headers.authorization !== `Splunk ${opts.splunkToken}`) {
        res.writeHead(403).end('{"text":"Invalid token","code":4}');
        return;
      }
      if (splunk) expect(req.headers["x-splunk-request-channel"]).toMatch(/^[0-9a-f-]{36}$/);
      if (splunk && req.url === "/services/collector/ack") {
        const acks: Record<string, boolean> = {};
        for (const id of JSON.parse(body).acks as number[]) {
          const entry = unconfirmed.get(id);
          if (entry && ++entry.polls >= 2) {
            for (const r of entry.records) book.add(r);
            unconfirmed.delete(id);
            acks[id] = true;
          } else acks[id] = false;
        }
        res.writeHead(200).end(JSON.stringify({ acks }));
        return;
      }
      if (opts.secret) {
        const signature = req.headers["x-acp-signature"] as string;
        expect(verifyWebhookSignature(opts.secret(), signature, body)).toEqual({ ok: true });
      }
      const records = body
        .split("\n")
        .filter(Boolean)
        .map((l) => (splunk ? JSON.parse(l).event : JSON.parse(l)));
      if (opts.maxRecords && records.length > opts.maxRecords) {
        res.writeHead(413).end();
        return;
      }
      if (++batches > crashAfter) {
        crashAfter = Number.POSITIVE_INFINITY; // once
        for (const r of records) book.add(r); // received, never acknowledged
        req.socket.destroy();
        onCrash();
        return;
      }
      if (!splunk) {
        for (const r of records) book.add(r);
        res.writeHead(200).end();
        return;
      }
      const ackId = nextAck++;
      unconfirmed.set(ackId, { polls: 0, records });
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ text: "Success", code: 0, ackId }));
    });
  });
  return {
    server,
    crashAfter(n: number, then: () => void) {
      crashAfter = batches + n;
      onCrash = then;
    },
  };
}

/** A syslog listener: RFC 6587 octet-counted RFC 5424 messages; it closes when the sender has finished. */
function syslogReceiver(book: ReturnType<typeof ledger>, tlsOpts?: tls.TlsOptions) {
  let connections = 0;
  let crashAfter = Number.POSITIVE_INFINITY;
  let onCrash: () => void = () => {};
  const handle = (socket: net.Socket) => {
    const crash = ++connections > crashAfter;
    if (crash) crashAfter = Number.POSITIVE_INFINITY; // once
    let buf = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      if (crash) chunk = chunk.subarray(0, Math.floor(chunk.length / 2)); // it dies having handled part of it
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const sp = buf.indexOf(0x20);
        if (sp < 0) break;
        const len = Number(buf.subarray(0, sp).toString());
        if (buf.length < sp + 1 + len) break;
        const msg = buf.subarray(sp + 1, sp + 1 + len).toString("utf8");
        buf = buf.subarray(sp + 1 + len);
        const m =
          /^<110>1 (\S+) \S+ agent-control-plane - audit \[acp@32473 position="(\d+)" prevHash="([0-9a-f]{64})" hash="([0-9a-f]{64})" action="[^"]*"\] \uFEFF(.*)$/s.exec(
            msg,
          );
        expect(m, msg.slice(0, 200)).not.toBeNull();
        const record = JSON.parse(m![5]);
        expect([record.occurredAt, record.position, record.prevHash, record.hash]).toEqual([
          m![1],
          m![2],
          m![3],
          m![4],
        ]);
        book.add(record);
      }
      if (crash) {
        raw.get(socket.remotePort)?.resetAndDestroy(); // gone without reading to the end
        onCrash();
      }
    });
    socket.on("end", () => socket.end());
    socket.on("error", () => {});
  };
  const server = tlsOpts ? tls.createServer(tlsOpts, handle) : net.createServer(handle);
  // The TCP sockets under TLS too, by the client's port: a crash resets the connection.
  const raw = new Map<number | undefined, net.Socket>();
  server.on("connection", (s: net.Socket) => raw.set(s.remotePort, s));
  return {
    server,
    crashAfter(n: number, then: () => void) {
      crashAfter = connections + n;
      onCrash = then;
    },
  };
}

const env = { ...process.env };
beforeAll(() => {
  process.env.WEBHOOK_ALLOW_PRIVATE = "1";
  process.env.AUDIT_SINK_BATCH = "25";
  process.env.AUDIT_SINK_BACKOFF_BASE_MS = "0";
  process.env.AUDIT_SINK_TIMEOUT_MS = "5000";
});
afterAll(async () => {
  process.env = env;
  await db().auditSink.deleteMany({}); // a sink left behind would hold audit retention back for later tests
});

let written = 0;
async function writeEvents(admin: Awaited<ReturnType<typeof makeOrg>>["admin"], n: number) {
  for (let i = 0; i < n; i++)
    await createTeam(admin, {}, { slug: `siem-${org.tag}-${++written}`, name: `SIEM ${written}` });
}

/** Delivers until the sink has caught up with the head; returns how many attempts failed on the way. */
async function drain(id: string) {
  let failed = 0;
  for (let i = 0; i < 50; i++) {
    const r = await deliverAuditSinks({ ids: [id] });
    failed += r.failed;
    const [sink] = (await listAuditSinks(await adminActor())).filter((s) => s.id === id);
    if (sink.lag === 0 && r.failed === 0) return failed;
  }
  throw new Error("the sink never caught up");
}
let org: Awaited<ReturnType<typeof makeOrg>>;
const adminActor = async () => {
  org ??= await makeOrg();
  return org.admin;
};

const head = async () => (await db().auditChainHead.findUniqueOrThrow({ where: { id: 1 } })).position;

type Receiver = { server: Server; book: ReturnType<typeof ledger>; crashAfter: (n: number, then: () => void) => void };

/**
 * Streams 90 events to a receiver that acknowledges two batches of 25, dies in the middle of the third, stays down
 * while 30 more are written, and comes back on the same port: the sink catches up, and the receiver's deduplicated
 * trail is exactly the positions after the sink's start, in order, every hash and link checking out.
 */
async function streamThroughCrash(
  kind: "https" | "splunk_hec" | "syslog",
  receiver: Receiver,
  url: (port: number) => string,
  extra: { token?: string; onCreated?: (secret: string | null) => void } = {},
) {
  const admin = await adminActor();
  let live = await listen(receiver.server);
  const port = live.port;
  const sink = await createAuditSink(
    admin,
    {},
    { name: `${kind} test`, kind, url: url(port), startFrom: "now", token: extra.token },
  );
  extra.onCreated?.(sink.secret);
  const from = BigInt(sink.ackedPosition);
  await writeEvents(admin, 60);

  let crashed!: Promise<void>;
  receiver.crashAfter(2, () => {
    crashed = live.stop();
  });
  const first = await deliverAuditSinks({ ids: [sink.id] });
  await crashed;
  expect(first).toMatchObject({ sinks: 1, failed: 1, delivered: 50 });
  const down = (await listAuditSinks(admin)).find((s) => s.id === sink.id)!;
  expect(down).toMatchObject({ ackedPosition: String(from + 50n), failures: 1 });
  expect(down.lastError).toBeTruthy();
  expect(down.lag).toBeGreaterThan(0);

  // Still down: more events are written, and attempts fail (refused) without losing anything.
  await writeEvents(admin, 30);
  expect(await deliverAuditSinks({ ids: [sink.id] })).toMatchObject({ failed: 1, delivered: 0 });
  expect((await listAuditSinks(admin)).find((s) => s.id === sink.id)!.lastError).toMatch(/ECONNREFUSED/);

  // Back on the same port: it catches up from its acknowledged position.
  live = await listen(receiver.server, port);
  await drain(sink.id);
  const caughtUp = (await listAuditSinks(admin)).find((s) => s.id === sink.id)!;
  expect(caughtUp).toMatchObject({ lag: 0, failures: 0, ackedPosition: String(await head()) });
  await live.stop();

  const { unique, duplicates } = receiver.book.trail();
  expect(unique[0].position).toBe(String(from + 1n));
  expect(unique.at(-1)!.position).toBe(caughtUp.ackedPosition);
  expect(unique[0]).toMatchObject({ action: "audit.sink_added", targetId: sink.id });
  expect(unique.length).toBeGreaterThanOrEqual(91);
  expect(duplicates).toBeGreaterThan(0); // what it died holding was sent again
  expect(duplicates).toBeLessThanOrEqual(25);
  await deleteAuditSink(systemActor(), {}, sink.id);
  const counts = { kind, received: receiver.book.arrivals.length, unique: unique.length, duplicates };
  console.info("SIEM delivery through a receiver crash:", JSON.stringify(counts));
  return counts;
}

describe("SIEM sinks", () => {
  it("HTTPS NDJSON: signed batches in position order, nothing lost across a receiver crash and restart", async () => {
    const book = ledger();
    let secret = "";
    const receiver = { ...httpReceiver(book, { secret: () => secret }), book };
    const admin = await adminActor();
    await streamThroughCrash("https", receiver, (p) => `http://127.0.0.1:${p}/in`, {
      onCreated: (s) => {
        expect(s).toMatch(/^whsec_/);
        secret = s!;
      },
    });
    expect(JSON.stringify(await listAuditSinks(admin))).not.toContain(secret);
  });

  it("Splunk HEC: the token in the Authorization header, each record an event; a refused token is retried", async () => {
    const book = ledger();
    const receiver = { ...httpReceiver(book, { splunkToken: "hec-token-1234" }), book };
    await streamThroughCrash("splunk_hec", receiver, (p) => `http://127.0.0.1:${p}/services/collector/event`, {
      token: "hec-token-1234",
    });

    // A wrong token: Splunk answers 403, nothing moves on, the error says so.
    const admin = await adminActor();
    const live = await listen(receiver.server);
    const wrong = await createAuditSink(
      admin,
      {},
      {
        name: "wrong token",
        kind: "splunk_hec",
        url: `http://127.0.0.1:${live.port}/services/collector/event`,
        token: "nope",
        startFrom: "now",
      },
    );
    expect(wrong.secret).toBeNull();
    expect(await deliverAuditSinks({ ids: [wrong.id] })).toMatchObject({ failed: 1, delivered: 0 });
    const listed = (await listAuditSinks(admin)).find((s) => s.id === wrong.id)!;
    expect(listed).toMatchObject({ lastError: "HTTP 403: Invalid token", ackedPosition: wrong.ackedPosition });
    expect(JSON.stringify(listed)).not.toContain("nope");
    await deleteAuditSink(systemActor(), {}, wrong.id);
    await live.stop();
  });

  it("syslog over TCP: RFC 5424 with the chain in structured data, nothing lost across a listener crash", async () => {
    const book = ledger();
    const receiver = { ...syslogReceiver(book), book };
    await streamThroughCrash("syslog", receiver, (p) => `tcp://127.0.0.1:${p}`);
  });

  it("syslog over TLS: verified against the CA in AUDIT_SINK_CA_FILE, refused without it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acp-siem-tls-"));
    const key = path.join(dir, "key.pem");
    const cert = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout",
        key,
        "-out",
        cert,
      ],
      { stdio: "ignore" },
    );
    const book = ledger();
    const receiver = { ...syslogReceiver(book, { key: fs.readFileSync(key), cert: fs.readFileSync(cert) }), book };
    const admin = await adminActor();

    // Without the CA the certificate is not trusted: nothing is sent.
    const live = await listen(receiver.server);
    const untrusted = await createAuditSink(
      admin,
      {},
      { name: "untrusted", kind: "syslog", url: `tls://127.0.0.1:${live.port}`, startFrom: "now" },
    );
    expect(await deliverAuditSinks({ ids: [untrusted.id] })).toMatchObject({ failed: 1, delivered: 0 });
    expect((await listAuditSinks(admin)).find((s) => s.id === untrusted.id)!.lastError).toMatch(
      /self.signed|certificate/i,
    );
    expect(book.arrivals).toHaveLength(0);
    await deleteAuditSink(systemActor(), {}, untrusted.id);
    await live.stop();

    process.env.AUDIT_SINK_CA_FILE = cert;
    try {
      await streamThroughCrash("syslog", receiver, (p) => `tls://127.0.0.1:${p}`);
    } finally {
      delete process.env.AUDIT_SINK_CA_FILE;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("sends to a sink from one instance at a time: a lease held elsewhere, or taken over, stops this one", async () => {
    const admin = await adminActor();
    const book = ledger();
    const receiver = { ...httpReceiver(book, {}), book };
    const live = await listen(receiver.server);
    const sink = await createAuditSink(
      admin,
      {},
      { name: "leased", kind: "https", url: `http://127.0.0.1:${live.port}/in`, startFrom: "now" },
    );
    await db().auditSink.update({ where: { id: sink.id }, data: { leaseUntil: new Date(Date.now() + 60_000) } });
    expect(await deliverAuditSinks({ ids: [sink.id] })).toEqual({ sinks: 0, delivered: 0, failed: 0 });
    expect(book.arrivals).toHaveLength(0);
    // The lease ran out and this instance takes over: it delivers; the earlier holder's writes would match nothing.
    await db().auditSink.update({ where: { id: sink.id }, data: { leaseUntil: new Date(Date.now() - 1) } });
    expect(await deliverAuditSinks({ ids: [sink.id] })).toMatchObject({ sinks: 1, delivered: 1 });
    expect((await db().auditSink.findUniqueOrThrow({ where: { id: sink.id } })).leaseUntil).toBeNull();
    await deleteAuditSink(systemActor(), {}, sink.id);
    await live.stop();
  });

  it("halves its batches for a receiver that refuses big requests, and grows them again once through", async () => {
    const admin = await adminActor();
    const book = ledger();
    const receiver = { ...httpReceiver(book, { maxRecords: 5 }), book };
    const live = await listen(receiver.server);
    const sink = await createAuditSink(
      admin,
      {},
      { name: "small", kind: "https", url: `http://127.0.0.1:${live.port}/in`, startFrom: "now" },
    );
    await writeEvents(admin, 40);
    const failed = await drain(sink.id);
    expect(failed).toBe(3); // 25 → 12 → 6 → 3 records, then through, staying at 3 for a while
    expect(book.trail().unique).toHaveLength(41);
    expect(book.trail().duplicates).toBe(0);
    expect((await db().auditSink.findUniqueOrThrow({ where: { id: sink.id } })).batchLimit).toBe(3);
    await deleteAuditSink(systemActor(), {}, sink.id);
    await live.stop();
  });

  it("refuses bad input with field errors, private targets unless allowed, and people who are not admins", async () => {
    const { admin, auditor } = org ?? (await makeOrg());
    const bad = async (body: object) => {
      try {
        await createAuditSink(admin, {}, body);
      } catch (e) {
        return (e as { details?: Record<string, string[]> }).details;
      }
      throw new Error("accepted");
    };
    expect(await bad({ name: "x", kind: "syslog", url: "udp://siem:514" })).toHaveProperty("url");
    expect(await bad({ name: "x", kind: "syslog", url: "tcp://siem:99999" })).toHaveProperty("url");
    expect(await bad({ name: "x", kind: "https", url: "ftp://siem/x" })).toHaveProperty("url");
    expect(
      await bad({ name: "x", kind: "splunk_hec", url: "https://splunk:8088/services/collector/event" }),
    ).toHaveProperty("token");
    expect(await bad({ name: "x", kind: "https", url: "https://siem.example.com/in", token: "t" })).toHaveProperty(
      "token",
    );
    expect(await bad({ name: "x", kind: "kafka", url: "https://siem.example.com/in" })).toHaveProperty("kind");
    expect(await bad({ name: "x", kind: "syslog", url: "tcp://[1:2]:514" })).toHaveProperty("url");
    expect(await bad({ name: "x", kind: "syslog", url: "tcp://[1.2.3.4]:514" })).toHaveProperty("url");
    expect(await bad({ name: "x", kind: "https", url: "https://user:pass@siem.example.com/in" })).toHaveProperty("url");
    expect(await bad({ name: "x", kind: "https", url: "https://siem.example.com/in?api_key=abc" })).toHaveProperty(
      "url",
    );
    expect(
      await bad({ name: "x", kind: "splunk_hec", url: "https://splunk.example.com/services/collector", token: "a b" }),
    ).toHaveProperty("token");
    delete process.env.WEBHOOK_ALLOW_PRIVATE;
    try {
      expect(await bad({ name: "x", kind: "syslog", url: "tcp://127.0.0.1:514" })).toHaveProperty("url");
      expect(await bad({ name: "x", kind: "https", url: "http://169.254.169.254/latest" })).toHaveProperty("url");
      // In clear text only to internal receivers.
      expect(await bad({ name: "x", kind: "https", url: "http://siem.example.com/in" })).toHaveProperty("url");
      expect(await bad({ name: "x", kind: "syslog", url: "tcp://siem.example.com:514" })).toHaveProperty("url");
    } finally {
      process.env.WEBHOOK_ALLOW_PRIVATE = "1";
    }
    await expect(
      createAuditSink(auditor, {}, { name: "x", kind: "https", url: "https://siem.example.com/in" }),
    ).rejects.toMatchObject({ kind: "forbidden" });
    await expect(listAuditSinks(auditor)).rejects.toMatchObject({ kind: "forbidden" });
    await expect(deleteAuditSink(admin, {}, "no-such-sink")).rejects.toMatchObject({ kind: "not_found" });
    expect(await db().auditSink.count()).toBe(0);
  });
});
