"use server";

import { z } from "zod";
import { createOutcomeType, updateOutcomeType } from "@/lib/domain/outcomes/outcome-types";
import { formNumber, formText, formTexts, withActionError } from "@/lib/http/action-result";
import { action, postAction } from "@/lib/http/server-action";

export const createOutcomeTypeAction = action({
  input: (form) => ({
    name: formText(form, "name", { trim: true }),
    unit: formText(form, "unit", { trim: true }),
    description: formText(form, "description", { trim: true }),
    ownerTeamId: formText(form, "ownerTeamId") || null,
    hasValue: form.get("hasValue") === "on",
    maxCostPerSuccessUsd: formNumber(form, "maxCostPerSuccessUsd"),
    costPeriod: formText(form, "costPeriod") || "day",
    agentIds: formTexts(form, "agentIds"),
  }),
  run: (actor, input, meta) => createOutcomeType(actor, meta, input),
  revalidate: () => ["/outcomes"],
  reply: (t) => ({ ok: true, message: `Defined ${t.name}: its agents can report it now.` }),
});

export const archiveOutcomeTypeAction = postAction({
  args: [z.string()],
  run: (actor, _, meta, id) => updateOutcomeType(actor, meta, id, { archived: true }),
  revalidate: () => ["/outcomes"],
  redirect: () => "/outcomes?archived=1",
  failure: (message) => withActionError("/outcomes", message),
});
