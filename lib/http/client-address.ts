import ipaddr from "ipaddr.js";

/**
 * The client's address, one rule for sign-in, the API's request meta and server actions.
 *
 * Next's route handlers do not expose the socket, and Next itself fills `X-Forwarded-For` from the socket only
 * when the client sent none — so that header is the client's word. scripts/serve.mjs (what `npm start` runs)
 * therefore writes the socket's address into PEER_HEADER on every request, replacing any copy the client sent.
 * X-Forwarded-For is then read only when that peer is a configured proxy (TRUSTED_PROXIES: comma-separated
 * IPs or CIDRs, default none), walking it right to left past trusted proxies to the first address they did not
 * vouch for.
 */
export const PEER_HEADER = "x-acp-peer-address";

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

let cached: { raw: string; ranges: Range[] } | null = null;

/** TRUSTED_PROXIES parsed; an entry that is neither an IP nor a CIDR is an error (a typo must not trust nothing silently). */
export function trustedProxies(raw = process.env.TRUSTED_PROXIES ?? ""): Range[] {
  if (cached?.raw === raw) return cached.ranges;
  const ranges = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry): Range => {
      if (ipaddr.isValidCIDR(entry)) {
        const [addr, bits] = ipaddr.parseCIDR(entry);
        return addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()
          ? [(addr as ipaddr.IPv6).toIPv4Address(), Math.max(0, bits - 96)]
          : [addr, bits];
      }
      if (ipaddr.isValid(entry)) {
        const addr = ipaddr.process(entry);
        return [addr, addr.kind() === "ipv4" ? 32 : 128];
      }
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    });
  cached = { raw, ranges };
  return ranges;
}

/** A textual address, normalised (IPv4-mapped IPv6 becomes IPv4); null when it is not an address. */
export function normaliseAddress(value: string | null | undefined): string | null {
  let v = value?.trim();
  if (!v) return null;
  // "[::1]:1234" and "1.2.3.4:5678" (some proxies add the port)
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":"));
  if (!ipaddr.isValid(v)) return null;
  return ipaddr.process(v).toString();
}

function isTrusted(address: string, ranges: Range[]): boolean {
  if (!ranges.length) return false;
  const addr = ipaddr.process(address);
  return ranges.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net as never, bits));
}

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined | null;

function header(source: HeaderSource, name: string): string | null {
  if (!source) return null;
  if (typeof (source as Headers).get === "function") return (source as Headers).get(name);
  const v = (source as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v.join(",") : (v ?? null);
}

/**
 * The client address for a request's headers: the socket peer, or — when the peer is a trusted proxy — the
 * rightmost X-Forwarded-For entry that is not a trusted proxy. Null when no peer header is present. The
 * header is only trustworthy behind scripts/serve.mjs, which sets it on every request from the socket; a server
 * started otherwise passes on whatever a client sent under that name (README: Operations).
 */
export function clientAddress(source: HeaderSource, ranges: Range[] = trustedProxies()): string | null {
  const peer = normaliseAddress(header(source, PEER_HEADER));
  if (!peer) return null;
  if (!isTrusted(peer, ranges)) return peer;
  const hops = (header(source, "x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normaliseAddress(hops[i]);
    if (!hop) break; // garbage: stop at the last address a trusted proxy vouched for
    client = hop;
    if (!isTrusted(hop, ranges)) break;
  }
  return client;
}
