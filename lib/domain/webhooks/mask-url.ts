import { serverHmac } from "../server-hmac";

/**
 * An outbound URL as shown to those who may not hold it, and as kept in the audit trail: scheme, host and port, with
 * its path, query and credentials (where a Slack-style webhook, a hosted MCP server or an HTTP log source keeps its
 * secret) replaced by a fingerprint, so that a change of URL still shows. The fingerprint is keyed with the server's
 * secret: whoever reads it cannot test guesses of a short secret against it. A URL with nothing past its host is
 * shown whole. `fingerprint: false` leaves the fingerprint out: for a URL someone gave us and may not have (an auditor's
 * guess in a plan), where showing it would let them test the guess against an endpoint's.
 */
export function maskUrl(url: string, fingerprint = true): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "(not a URL)";
  }
  const base = `${parsed.protocol}//${parsed.host}`;
  const rest = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  if (!parsed.username && !parsed.password && (rest === "" || rest === "/")) return base;
  return fingerprint ? `${base}/${MASK}#${serverHmac(null, url).digest("hex").slice(0, 12)}` : `${base}/${MASK}`;
}

const MASK = "…";

/** A URL maskUrl made: never one to send to (an auditor's export given back as a document). */
export const isMaskedUrl = (url: string) => url.includes(`/${MASK}#`) || url.includes("/%E2%80%A6#");
