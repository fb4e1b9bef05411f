"use server";

import { z } from "zod";
import { createResource, updateResource } from "@/lib/domain/resources/catalogue";
import { formText, withActionError } from "@/lib/http/action-result";
import { action, postAction } from "@/lib/http/server-action";

const fields = (form: FormData) => ({
  name: formText(form, "name", { trim: true }),
  pattern: formText(form, "pattern", { trim: true }),
  kind: formText(form, "kind"),
  classification: formText(form, "classification"),
  description: formText(form, "description", { trim: true }),
  ownerTeamId: formText(form, "ownerTeamId") || null,
});

export const createResourceAction = action({
  input: fields,
  run: (actor, input, meta) => createResource(actor, meta, input),
  revalidate: () => ["/resources"],
  reply: (r) => ({ ok: true, message: `Catalogued ${r.name}: rules can match its classification now.` }),
});

export const updateResourceAction = action({
  args: [z.string()],
  input: fields,
  run: (actor, input, meta, id) => updateResource(actor, meta, id, input),
  revalidate: (r) => ["/resources", `/resources/${r.id}`],
  reply: (r) => ({ ok: true, message: `Saved ${r.name}.` }),
});

export const archiveResourceAction = postAction({
  args: [z.string()],
  run: (actor, _, meta, id) => updateResource(actor, meta, id, { archived: true }),
  revalidate: () => ["/resources"],
  redirect: () => "/resources?archived=1",
  failure: (message) => withActionError("/resources", message),
});
