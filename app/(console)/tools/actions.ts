"use server";

import { z } from "zod";
import { invalid } from "@/lib/domain/errors";
import { acceptToolChange } from "@/lib/domain/tools/accept-tool-change";
import { importMcpTools } from "@/lib/domain/tools/import-mcp-tools";
import { registerMcpServer } from "@/lib/domain/tools/register-mcp-server";
import { rejectToolChange } from "@/lib/domain/tools/reject-tool-change";
import { formText, jsonField, withActionError } from "@/lib/http/action-result";
import { action, postAction } from "@/lib/http/server-action";

export const registerServerAction = action({
  input: (form) => ({
    name: formText(form, "name", { trim: true }),
    url: formText(form, "url", { trim: true }) || null,
    description: formText(form, "description"),
  }),
  run: (actor, input, meta) => registerMcpServer(actor, meta, input),
  revalidate: () => ["/tools"],
  reply: (server) => ({ ok: true, message: `Registered ${server.name}: import its tools next.` }),
});

/** A pasted tools/list result: the result object, or the whole JSON-RPC response around it. */
function uploaded(form: FormData) {
  // Checked as the API checks a body: depth, lone surrogates, NUL characters.
  const p = jsonField(form.get("upload"), "upload") as { tools?: unknown; result?: { tools?: unknown } } | null;
  const tools = p?.result?.tools ?? p?.tools;
  if (!Array.isArray(tools))
    throw invalid("The upload has no tools", { upload: ['expected {"tools": [...]}, as tools/list returns it'] });
  return { tools };
}

export const importToolsAction = action({
  args: [z.string()],
  input: (form) => (formText(form, "source") === "upload" ? uploaded(form) : ({} as { tools?: unknown })),
  run: (actor, input, meta, serverId) => importMcpTools(actor, meta, serverId, input),
  revalidate: () => ["/tools"],
  reply: (s) => ({
    ok: true,
    message: `Imported: ${s.added.length} added, ${s.changed.length} changed (held for review), ${s.removed.length} removed, ${s.restored.length ? `${s.restored.length} back as accepted, ` : ""}${s.unchanged} unchanged.`,
  }),
});

/** What the reviewer saw: the waiting definition's digest, sent with the review. */
const reviewed = (form: FormData) => ({ definitionDigest: formText(form, "definitionDigest") || undefined });

export const acceptToolAction = postAction({
  args: [z.string()],
  input: reviewed,
  run: (actor, input, meta, toolId) => acceptToolChange(actor, meta, toolId, input),
  revalidate: () => ["/tools"],
  redirect: () => "/tools?accepted=1",
  failure: (message) => withActionError("/tools", message),
});

export const rejectToolAction = postAction({
  args: [z.string()],
  input: reviewed,
  run: (actor, input, meta, toolId) => rejectToolChange(actor, meta, toolId, input),
  revalidate: () => ["/tools"],
  redirect: () => "/tools?rejected=1",
  failure: (message) => withActionError("/tools", message),
});
