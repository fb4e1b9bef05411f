import "server-only";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Webhook targets are typed in by admins but fetched by the server, from inside the network: without a guard a
 * URL could reach the cloud metadata service, the database or anything else only the server can see (SSRF).
 * Only globally routable unicast addresses are allowed, unless WEBHOOK_ALLOW_PRIVATE=1 (on-premises set-ups whose
 * receivers are internal). The check runs on the address actually connected to, so DNS rebinding cannot slip past it.
 *
 * Addresses are classified by ipaddr.js's table of special ranges rather than a hand-kept list: IPv6 has many
 * ways to carry an IPv4 address (IPv4-compatible ::7f00:1, 6to4 2002:7f00:1::, NAT64 64:ff9b::/96, Teredo), and a
 * hand-kept list missed some of them.
 */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parse("2000::");

export const privateTargetsAllowed = () => process.env.WEBHOOK_ALLOW_PRIVATE === "1";

/** True for anything but a globally routable unicast address (not an address at all included). */
export function isPrivateAddress(address: string): boolean {
  if (!net.isIP(address)) return true; // strict syntax: ipaddr.js also accepts forms like 0x7f.1, never connect to those
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return true;
  }
  // ::ffff:a.b.c.d is a.b.c.d on the wire: judged as that IPv4 address.
  if (parsed instanceof ipaddr.IPv6 && parsed.isIPv4MappedAddress()) parsed = parsed.toIPv4Address();
  if (parsed.range() !== "unicast") return true;
  // ipaddr.js calls anything it has no name for "unicast"; for IPv6 only 2000::/3 is global (this refuses the
  // deprecated IPv4-compatible ::a.b.c.d and any unassigned space).
  return parsed instanceof ipaddr.IPv6 && !parsed.match(GLOBAL_UNICAST_V6, 3);
}

/**
 * Why the server must not send to an admin's URL (a webhook, a SIEM sink, an MCP server), or null: in clear text
 * (http://, tcp://) or to a private literal address or localhost, both only for internal receivers with
 * WEBHOOK_ALLOW_PRIVATE=1. `title` heads the 422, `field` is the URL field's message.
 */
export function outboundUrlProblem(url: string): { title: string; field: string } | null {
  const blocked = privateUrlReason(url);
  if (blocked)
    return {
      title: `The URL ${blocked}`,
      field: `${blocked}; set WEBHOOK_ALLOW_PRIVATE=1 to allow internal receivers`,
    };
  const secure = clearTextScheme(url);
  return secure
    ? {
        title: `Use ${secure.secure}://`,
        field: `use ${secure.secure}://: what is sent must not travel in clear text; ${secure.scheme}:// is for internal receivers, with WEBHOOK_ALLOW_PRIVATE=1`,
      }
    : null;
}

/** A clear-text scheme (http, tcp) and its secure form, unless WEBHOOK_ALLOW_PRIVATE=1 (internal receivers). */
function clearTextScheme(url: string): { scheme: string; secure: string } | null {
  const scheme = url.slice(0, url.indexOf(":")).toLowerCase();
  const secure = scheme === "http" ? "https" : scheme === "tcp" ? "tls" : null;
  return secure && !privateTargetsAllowed() ? { scheme, secure } : null;
}

/**
 * Why `url` may not be sent to now, or null. Checked at every send, not only when a receiver is saved: one saved
 * before clear text was refused (or while WEBHOOK_ALLOW_PRIVATE=1 was set) is not sent to in clear text; its
 * deliveries fail, saying why. A literal private address is refused here too (it is connected to without a lookup;
 * names are checked at their lookup: checkedLookup).
 */
export function sendRefusal(url: URL): BlockedAddressError | null {
  const clear = clearTextScheme(url.href);
  if (clear)
    return new BlockedAddressError(
      `${clear.scheme}:// sends in clear text: change the URL to ${clear.secure}:// (or set WEBHOOK_ALLOW_PRIVATE=1 for internal receivers)`,
    );
  const literal = url.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(literal) && isPrivateAddress(literal) && !privateTargetsAllowed())
    return new BlockedAddressError(`${literal} is a private or reserved address`);
  return null;
}

/** For the endpoint form: a URL whose host is a private literal address or localhost is refused up front. */
export function privateUrlReason(url: string): string | null {
  if (privateTargetsAllowed()) return null;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return "points at this server (localhost)";
  if (net.isIP(host) && isPrivateAddress(host)) return `points at a private or reserved address (${host})`;
  return null;
}

export class BlockedAddressError extends Error {
  readonly code = "EBLOCKEDADDRESS";
}

/** dns.lookup, refusing private addresses: handed to the HTTP agent, so the checked address is the one used. */
export const checkedLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, "", 0);
    const list = addresses as dns.LookupAddress[];
    const bad = privateTargetsAllowed() ? undefined : list.find((a) => isPrivateAddress(a.address));
    if (bad)
      return callback(
        // The address is not said: the message is stored and shown, and would map internal names for whoever asks.
        new BlockedAddressError(`${hostname} resolves to a private or reserved address`),
        "",
        0,
      );
    if ((options as dns.LookupOptions).all)
      return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    callback(null, list[0].address, list[0].family);
  });
};

/** POSTs `body` and resolves with the status code; no redirects are followed, the response body is discarded. */
export async function postJson(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<number> {
  return (await post(url, headers, body, timeoutMs, 0)).status;
}

/**
 * POSTs `body` through the SSRF guard and resolves with the status code and up to `keepBytes` of the response body
 * (the rest is read and dropped). No redirects are followed.
 */
export function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  keepBytes = 65_536,
): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const refused = sendRefusal(u);
  if (refused) return Promise.reject(refused);
  const client = u.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      u,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: checkedLookup,
        timeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        const kept: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          if (size < keepBytes) kept.push(chunk.subarray(0, keepBytes - size));
          size += chunk.length;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(kept).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })));
    req.on("error", reject);
    req.end(body);
  });
}
