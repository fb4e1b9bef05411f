import "server-only";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Agent, fetch as undiciFetch } from "undici";
import { DomainError } from "../errors";
import { checkedLookup, privateUrlReason, sendRefusal } from "../webhooks/outbound";

const unreachable = (url: string, why: string) =>
  new DomainError("validation", "mcp_unreachable", `Could not list the tools of ${url}: ${why}`, { url: [why] });

/**
 * The SSRF guard webhooks use: a private literal host is refused up front, and every connection resolves its host
 * through `checkedLookup`, so the address checked is the address connected to (no DNS rebinding); unless
 * WEBHOOK_ALLOW_PRIVATE=1. Redirects are refused.
 */
const dispatcher = new Agent({ connect: { lookup: checkedLookup } });
const guardedFetch = (async (input: string | URL, init?: RequestInit) =>
  capped(
    (await undiciFetch(input, { ...(init as object), dispatcher, redirect: "error" })) as unknown as Response,
  )) as typeof fetch;

/** No answer of the server's is read past this: the SDK buffers a JSON answer whole. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** The answer with its body cut off (an error, the connection cancelled) once past MAX_ANSWER_BYTES. */
function capped(res: Response): Response {
  if (!res.body) return res;
  let seen = 0;
  const body = res.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > MAX_ANSWER_BYTES) controller.error(new Error(`an answer over ${MAX_ANSWER_BYTES} bytes`));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

const MAX_PAGES = 20;

/** Why the import failed, without echoing what the server answered (its body could be anything). */
function why(err: unknown): string {
  const message = err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? "")}` : "";
  const status = /HTTP (\d{3})/.exec(message)?.[1];
  if (status) return `it answered HTTP ${status}`;
  if (/more than \d+ pages/.test(message)) return `it listed more than ${MAX_PAGES} pages of tools`;
  if (/an answer over \d+ bytes/.test(message)) return `it answered more than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`;
  if (/private or reserved address/.test(message)) return "it resolves to a private or reserved address";
  if (/timed? ?out/i.test(message)) return "it did not answer in time";
  return "it could not be reached or did not answer as an MCP server";
}

/**
 * Lists a server's tools over MCP with the official SDK client (Streamable HTTP): initialize, then `tools/list`
 * page by page (at most 20 pages and 1,000 tools, within 30 s overall), then close. Any failure is a 422 naming the
 * URL and the reason.
 */
export async function listToolsOverMcp(url: string, timeoutMs = 10_000): Promise<unknown[]> {
  // Localhost or a private literal address (as the form says it), else clear text.
  const refused = privateUrlReason(url) ?? sendRefusal(new URL(url))?.message;
  if (refused) throw unreachable(url, refused);
  const client = new Client({ name: "agent-control-plane", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: guardedFetch });
  const deadline = Date.now() + 3 * timeoutMs;
  try {
    await client.connect(transport, { timeout: timeoutMs });
    const tools: unknown[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("timed out");
      const result = await client.listTools(cursor ? { cursor } : undefined, { timeout: Math.min(timeoutMs, left) });
      tools.push(...result.tools);
      cursor = result.nextCursor;
      if (!cursor || tools.length > 1000) break;
    }
    // A partial list would mark the rest removed: refuse instead.
    if (cursor && tools.length <= 1000) throw new Error(`more than ${MAX_PAGES} pages`);
    return tools;
  } catch (err) {
    throw unreachable(url, why(err));
  } finally {
    await client.close().catch(() => undefined);
  }
}
