import "server-only";
import dns from "node:dns/promises";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { DomainError } from "../errors";
import { isPrivateAddress, privateTargetsAllowed, privateUrlReason } from "../webhooks/outbound";

const unreachable = (url: string, why: string) =>
  new DomainError("validation", "mcp_unreachable", `Could not list the tools of ${url}: ${why}`, { url: [why] });

/**
 * The SSRF guard webhooks use, before connecting: refused when the host is, or resolves to, a private or reserved
 * address (unless WEBHOOK_ALLOW_PRIVATE=1). Redirects are refused too.
 */
async function assertPublicTarget(url: string) {
  const literal = privateUrlReason(url);
  if (literal) throw unreachable(url, literal);
  if (privateTargetsAllowed()) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  const addresses = await dns.lookup(host, { all: true }).catch(() => []);
  if (addresses.length === 0) throw unreachable(url, `${host} does not resolve`);
  const bad = addresses.find((a) => isPrivateAddress(a.address));
  if (bad) throw unreachable(url, `${host} resolves to ${bad.address}, a private or reserved address`);
}

/**
 * Lists a server's tools over MCP with the official SDK client (Streamable HTTP): initialize, then `tools/list`
 * page by page (at most 1,000 tools), then close. Any failure is a 422 naming the URL and the reason.
 */
export async function listToolsOverMcp(url: string, timeoutMs = 10_000): Promise<unknown[]> {
  await assertPublicTarget(url);
  const client = new Client({ name: "agent-control-plane", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { redirect: "error" } });
  try {
    await client.connect(transport, { timeout: timeoutMs });
    const tools: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor && tools.length <= 1000);
    return tools;
  } catch (err) {
    throw unreachable(url, err instanceof Error ? err.message.slice(0, 300) : "the server did not answer as MCP");
  } finally {
    await client.close().catch(() => undefined);
  }
}
