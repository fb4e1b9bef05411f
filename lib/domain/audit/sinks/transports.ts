import "server-only";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import tls from "node:tls";
import {
  BlockedAddressError,
  checkedLookup,
  isPrivateAddress,
  postJson,
  privateTargetsAllowed,
} from "../../webhooks/outbound";
import { SIGNATURE_HEADER, signWebhook } from "../../webhooks/signature";
import type { AuditEventView } from "../view";
import type { AuditSinkKind } from "./schemas";

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
 * Writes the frames and half-closes; the batch counts as delivered only once the receiver has read to the end and
 * closed its side too (a syslog receiver closes when it reads end-of-stream). A reset, a refusal or a timeout means
 * not delivered, and the batch is sent again: at least once.
 */
function sendSyslog(url: URL, frames: Buffer, timeoutMs: number): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(host) && isPrivateAddress(host) && !privateTargetsAllowed())
    return Promise.reject(new BlockedAddressError(`${host} is a private or reserved address`));
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
    let peerEnded = false;
    let failed: Error | null = null;
    const timer = setTimeout(
      () => socket.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })),
      timeoutMs,
    );
    socket.on("error", (err) => {
      failed = err;
    });
    socket.on("end", () => {
      peerEnded = true;
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

/** Sends one batch, in position order; resolves once the receiver acknowledged all of it, else throws. */
export async function sendBatch(sink: SinkTarget, records: AuditEventView[], timeoutMs: number): Promise<void> {
  if (sink.kind === "syslog") return sendSyslog(new URL(sink.url), syslogFrames(records), timeoutMs);
  const first = records[0].position;
  const last = records[records.length - 1].position;
  const common = { "user-agent": USER_AGENT, "x-acp-sink": sink.id, "x-acp-positions": `${first}-${last}` };
  const body = sink.kind === "splunk_hec" ? splunkBatch(records) : ndjson(records);
  const headers: Record<string, string> =
    sink.kind === "splunk_hec"
      ? { ...common, "content-type": "application/json", authorization: `Splunk ${sink.secret}` }
      : { ...common, "content-type": "application/x-ndjson", [SIGNATURE_HEADER]: signWebhook(sink.secret ?? "", body) };
  const status = await postJson(sink.url, headers, body, timeoutMs);
  if (status < 200 || status > 299) throw new Error(`HTTP ${status}`);
}
