import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";

/**
 * Webhook targets are typed in by admins but fetched by the server, from inside the network: without a guard a
 * URL could reach the cloud metadata service, the database or anything else only the server can see (SSRF).
 * Addresses in these ranges are refused unless WEBHOOK_ALLOW_PRIVATE=1 (on-premises set-ups whose receivers
 * are internal). The check runs on the address actually connected to, so DNS rebinding cannot slip past it.
 */
const blocked = new net.BlockList();
for (const [prefix, bits] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.0.0.0", 24],
  ["192.0.2.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked.addSubnet(prefix, bits, "ipv4");
for (const [prefix, bits] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["64:ff9b::", 96], ["2001:db8::", 32]] as const) {
  blocked.addSubnet(prefix, bits, "ipv6");
}

export const privateTargetsAllowed = () => process.env.WEBHOOK_ALLOW_PRIVATE === "1";

/** True for loopback, private, link-local, shared, reserved and multicast addresses (IPv4-mapped IPv6 included). */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family !== 6) return true; // not an address at all: never connect to it
  const mapped = address.toLowerCase().match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  return mapped ? blocked.check(mapped[1], "ipv4") : blocked.check(address, "ipv6");
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
const checkedLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, "", 0);
    const list = addresses as dns.LookupAddress[];
    const bad = privateTargetsAllowed() ? undefined : list.find((a) => isPrivateAddress(a.address));
    if (bad) return callback(new BlockedAddressError(`${hostname} resolves to ${bad.address}, a private or reserved address`), "", 0);
    if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    callback(null, list[0].address, list[0].family);
  });
};

/** POSTs `body` and resolves with the status code; no redirects are followed, the response body is discarded. */
export function postJson(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const u = new URL(url);
  const client = u.protocol === "https:" ? https : http;
  const literal = u.hostname.replace(/^\[|\]$/g, "");
  // A literal address is connected to without a lookup, so it is checked here.
  if (net.isIP(literal) && isPrivateAddress(literal) && !privateTargetsAllowed()) {
    return Promise.reject(new BlockedAddressError(`${literal} is a private or reserved address`));
  }
  return new Promise((resolve, reject) => {
    const req = client.request(
      u,
      { method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, lookup: checkedLookup, timeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })));
    req.on("error", reject);
    req.end(body);
  });
}
