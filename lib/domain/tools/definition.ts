import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { z } from "zod";
import type { ToolHints } from "../permissions/evaluate";
import type { McpToolSchema } from "./schemas";

/** A tool's definition as the catalog keeps it, with the MCP spec's defaults for absent annotations. */
export type ToolDefinition = {
  title: string | null;
  description: string;
  inputSchema: Record<string, unknown>;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
};

export const DEFINITION_FIELDS = [
  "title",
  "description",
  "inputSchema",
  "readOnlyHint",
  "destructiveHint",
  "idempotentHint",
  "openWorldHint",
] as const satisfies readonly (keyof ToolDefinition)[];

/** Defaults per the spec: readOnlyHint false, destructiveHint true, idempotentHint false, openWorldHint true. */
export function toDefinition(tool: z.output<typeof McpToolSchema>): ToolDefinition {
  const a = tool.annotations ?? {};
  return {
    title: tool.title ?? a.title ?? null,
    description: tool.description ?? "",
    inputSchema: tool.inputSchema,
    readOnlyHint: a.readOnlyHint ?? false,
    destructiveHint: a.destructiveHint ?? true,
    idempotentHint: a.idempotentHint ?? false,
    openWorldHint: a.openWorldHint ?? true,
  };
}

/** The fields whose values differ (the input schema compared as canonical JSON). */
export function changedFields(a: ToolDefinition, b: ToolDefinition): string[] {
  return DEFINITION_FIELDS.filter((f) => canonicalize(a[f]) !== canonicalize(b[f]));
}

/**
 * Added held and not yet accepted: its waiting definition is the one stored (a tool held for a change waits with a
 * definition other than its accepted one). Such a tool stays held until an admin accepts it, also when it is
 * listed again unchanged, or dropped and listed again.
 */
export function neverAccepted(
  t: Omit<ToolDefinition, "inputSchema"> & { inputSchema: unknown; pending: unknown },
): boolean {
  return t.pending !== null && changedFields(t as ToolDefinition, t.pending as ToolDefinition).length === 0;
}

/** How rules read a tool's annotations: destructive and idempotent mean something only for a tool that writes. */
export function toolHints(
  t: Pick<ToolDefinition, "readOnlyHint" | "destructiveHint" | "idempotentHint" | "openWorldHint">,
): ToolHints {
  return {
    read_only: t.readOnlyHint,
    destructive: !t.readOnlyHint && t.destructiveHint,
    idempotent: !t.readOnlyHint && t.idempotentHint,
    open_world: t.openWorldHint,
  };
}

export const toolResource = (server: string, tool: string) => `mcp:${server}/${tool}`;

/** `mcp:<server>/<tool>` → its parts, or null for any other resource. */
export function parseToolResource(resource: string): { server: string; tool: string } | null {
  const m = /^mcp:([a-z0-9][a-z0-9-]*)\/([A-Za-z0-9_.-]+)$/.exec(resource);
  return m ? { server: m[1], tool: m[2] } : null;
}

/** A tool's definition fields, from its row or its waiting definition. */
export const definitionOf = (t: Record<string, unknown>) =>
  Object.fromEntries(DEFINITION_FIELDS.map((f) => [f, t[f]])) as ToolDefinition;

/** Names a waiting definition, so a review is of what the reviewer saw (sha256 of its canonical JSON). */
export const definitionDigest = (pending: unknown) =>
  createHash("sha256")
    .update(canonicalize(pending) ?? "")
    .digest("hex");
