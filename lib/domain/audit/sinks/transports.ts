import "server-only";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import tls from "node:tls";
import { checkedLookup, post, postJson, sendRefusal } from "../../webhooks/outbound";
import { SIGNATURE_HEADER, signWebhook } from "../../webhooks/signature";
import type { AuditEventView } from "../view";
import type { AuditSinkKind } from "./schemas";

/** How long a receiver has to answer a send, and Splunk to confirm indexing after it. */
export type SendLimits = { timeoutMs: number; ackTimeoutMs: number };

export type SinkTarget = { id: string; kind: AuditSinkKind; url: string; secret: string | null };

const USER_AGENT = "agent-control-plane-audit/1";

/** The records as NDJSON: each line is exactly an audit event as exported (position, prevHash, hash included). */
export const ndjson = (records: AuditEventView[]) => records.map((r) => `${JSON.stringify(r)}\n`).join("");

/** Splunk HEC's batch format: one event object after another, each event an audit record with its time. */
export const splunkBatch = (records: AuditEventView[]) =>
  records
    .map((r) =>
      JSON.stringify({
        time: Date.parse(r.occurredAt) / 1000,
        source: "agent-control-plane",
        sourcetype: "acp:audit",
        event: r,
      }),
    )
    .join("\n");

// RFC 5424: facility 13 (log audit), severity 6 (informational).
const PRI = 13 * 8 + 6;
const APP_NAME = "agent-control-plane";
/** 32473 is the private enterprise number RFC 5612 reserves for documentation, used here for our own SD-ID. */
const SD_ID = "acp@32473";
const hostName = () =>
  os
    .hostname()
    .replace(/[^\x21-\x7e]/g, "")
    .slice(0, 255) || "-";
const sdValue = (v: string) => v.replace(/[\\"\]]/g, (c) => `\\${c}`);

/**
 * One RFC 5424 message per audit event, framed by octet counting (RFC 6587, as RFC 5425 requires over TLS): the
 * chain fields in structured data, the whole record as UTF-8 JSON after a BOM.
 */
export function syslogFrames(records: AuditEventView[], host = hostName()): Buffer {
  return Buffer.concat(
    records.map((r) => {
      const sd = `[${SD_ID} position="${r.position}" prevHash="${r.prevHash}" hash="${r.hash}" action="${sdValue(r.action)}"]`;
      const msg = Buffer.from(`<${PRI}>1 ${r.occurredAt} ${host} ${APP_NAME} - audit ${sd} \uFEFF${JSON.stringify(r)}`);
      return Buffer.concat([Buffer.from(`${msg.length} `), msg]);
    }),
  );
}

/** Extra trusted CA certificates for TLS receivers (PEM file), beside Node's own. */
function caList(): string[] | undefined {
  const file = process.env.AUDIT_SINK_CA_FILE;
  return file ? [...tls.rootCertificates, fs.readFileSync(file, "utf8")] : undefined;
}

/**
 * Writes the frames and half-closes; the batch counts as delivered only once all of it was written and the receiver
 * then read to the end and closed its side too (a syslog receiver closes when it reads end-of-stream). A reset, a
 * refusal, a timeout or a close before everything was written means not delivered, and the batch is sent again.
 * Syslog has no acknowledgement of its own (RFC 6587, RFC 5425): a receiver that reads a batch and then loses it
 * cannot say so. Where that matters, use an https or Splunk HEC sink, which acknowledge each batch.
 */
function sendSyslog(url: URL, frames: Buffer, timeoutMs: number): Promise<void> {
  const refused = sendRefusal(url);
  if (refused) return Promise.reject(refused);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port);
  return new Promise((resolve, reject) => {
    const socket =
      url.protocol === "tls:"
        ? tls.connect({
            host,
            port,
            lookup: checkedLookup,
            servername: net.isIP(host) ? undefined : host,
            ca: caList(),
          })
        : net.connect({ host, port, lookup: checkedLookup });
    let written = false;
    let peerEnded = false;
    let failed: Error | null = null;
    const timer = setTimeout(
      () => socket.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })),
      timeoutMs,
    );
    socket.on("error", (err) => {
      failed = err;
    });
    socket.on("finish", () => {
      written = true;
    });
    socket.on("end", () => {
      peerEnded = written;
    });
    socket.on("close", () => {
      clearTimeout(timer);
      if (failed) reject(failed);
      else if (!peerEnded) reject(new Error("the receiver closed the connection before reading to the end"));
      else resolve();
    });
    socket.resume(); // a receiver has nothing to say; whatever it sends is discarded
    socket.end(frames);
  });
}

/** Splunk's indexer-acknowledgement endpoint beside the event endpoint given (…/services/collector/ack). */
function hecAckUrl(url: string): string {
  const u = new URL(url);
  u.pathname = /\/services\/collector(\/.*)?$/.test(u.pathname)
    ? u.pathname.replace(/\/services\/collector(\/.*)?$/, "/services/collector/ack")
    : "/services/collector/ack";
  u.search = "";
  return u.toString();
}

/**
 * A batch to Splunk HEC, on the sink's own channel (its id, a GUID). With indexer acknowledgement on, HEC answers an
 * ackId and the batch counts as delivered only once Splunk confirms it was indexed (polled until the timeout);
 * without it, HEC's 200 is all the acknowledgement there is.
 */
async function sendHec(
  sink: SinkTarget,
  records: AuditEventView[],
  headers: Record<string, string>,
  limits: SendLimits,
) {
  const { timeoutMs } = limits;
  const auth = { ...headers, authorization: `Splunk ${sink.secret}`, "x-splunk-request-channel": sink.id };
  const res = await post(sink.url, { ...auth, "content-type": "application/json" }, splunkBatch(records), timeoutMs);
  if (res.status < 200 || res.status > 299) throw httpError(res.status, hecText(res.body));
  const ackId = (safeJson(res.body) as { ackId?: unknown } | null)?.ackId;
  if (typeof ackId !== "number") return;
  const deadline = Date.now() + limits.ackTimeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`Splunk did not confirm indexing (ackId ${ackId}) in time`);
    const ack = await post(
      hecAckUrl(sink.url),
      { ...auth, "content-type": "application/json" },
      JSON.stringify({ acks: [ackId] }),
      Math.min(left, timeoutMs),
    );
    if (ack.status < 200 || ack.status > 299) throw new Error(`ack: HTTP ${ack.status}${hecText(ack.body)}`);
    if ((safeJson(ack.body) as { acks?: Record<string, boolean> } | null)?.acks?.[String(ackId)] === true) return;
    await new Promise((r) => setTimeout(r, Math.min(250, Math.max(0, deadline - Date.now()))));
  }
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};
/** HEC's own explanation, e.g. "Invalid token" (code 4). */
const hecText = (body: string) => {
  const t = (safeJson(body) as { text?: unknown } | null)?.text;
  return typeof t === "string" ? `: ${t.slice(0, 200)}` : "";
};

/** Sends one batch, in position order; resolves once the receiver acknowledged all of it, else throws. */
export async function sendBatch(sink: SinkTarget, records: AuditEventView[], limits: SendLimits): Promise<void> {
  const { timeoutMs } = limits;
  if (sink.kind === "syslog") return sendSyslog(new URL(sink.url), syslogFrames(records), timeoutMs);
  const first = records[0].position;
  const last = records[records.length - 1].position;
  const common = { "user-agent": USER_AGENT, "x-acp-sink": sink.id, "x-acp-positions": `${first}-${last}` };
  if (sink.kind === "splunk_hec") return sendHec(sink, records, common, limits);
  const body = ndjson(records);
  const headers = {
    ...common,
    "content-type": "application/x-ndjson",
    [SIGNATURE_HEADER]: signWebhook(sink.secret ?? "", body),
  };
  const status = await postJson(sink.url, headers, body, timeoutMs);
  if (status < 200 || status > 299) throw httpError(status);
}

/** A refused batch, with the status (413: the batch is too big for the receiver). */
const httpError = (status: number, detail = "") => Object.assign(new Error(`HTTP ${status}${detail}`), { status });
