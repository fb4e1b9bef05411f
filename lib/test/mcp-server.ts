import http from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

/**
 * A real MCP server for tests, built with the official SDK and served over Streamable HTTP (stateless: a server and
 * transport per request) on a free localhost port. `descriptions` can be changed between imports, as a server that
 * changes a tool's description would.
 */
export async function startTicketsMcpServer() {
  const descriptions = {
    search_tickets: "Search support tickets by text.",
    delete_ticket: "Delete a support ticket for good.",
    tag_ticket: "Add a tag to a ticket.",
  };
  const build = () => {
    const server = new McpServer({ name: "tickets", version: "1.0.0" });
    const ok = async () => ({ content: [{ type: "text" as const, text: "ok" }] });
    server.registerTool(
      "search_tickets",
      {
        title: "Search tickets",
        description: descriptions.search_tickets,
        inputSchema: { query: z.string() },
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      ok,
    );
    server.registerTool(
      "delete_ticket",
      {
        description: descriptions.delete_ticket,
        inputSchema: { id: z.string() },
        annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: false },
      },
      ok,
    );
    // No annotations at all: the spec's defaults apply (not read-only, destructive, not idempotent, open world).
    server.registerTool(
      "tag_ticket",
      { description: descriptions.tag_ticket, inputSchema: { id: z.string(), tag: z.string() } },
      ok,
    );
    return server;
  };
  const httpServer = http.createServer(async (req, res) => {
    const server = build();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    descriptions,
    close: () => new Promise<void>((resolve) => httpServer.close(() => resolve())),
  };
}
