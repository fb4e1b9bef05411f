"use server";

import { z } from "zod";
import { ENVIRONMENTS } from "@/lib/domain/agents/schemas";
import { createAuditSink, deleteAuditSink } from "@/lib/domain/audit/sinks/commands";
import { setEnvironmentPolicy, setRequiredSuites } from "@/lib/domain/deployments/policies";
import { parseSuitesText, suitesText } from "@/lib/domain/evals/schemas";
import { setModelPrice } from "@/lib/domain/pricing/set-model-price";
import { updateOrgSettings } from "@/lib/domain/settings/update-org-settings";
import { createPersonalAccessToken } from "@/lib/domain/tokens/create-personal-access-token";
import { revokePersonalAccessToken } from "@/lib/domain/tokens/revoke-personal-access-token";
import { changeOwnPassword } from "@/lib/domain/users/change-own-password";
import { createWebhookEndpoint } from "@/lib/domain/webhooks/create-webhook-endpoint";
import { deleteWebhookEndpoint } from "@/lib/domain/webhooks/delete-webhook-endpoint";
import { sendTestWebhook } from "@/lib/domain/webhooks/send-test-webhook";
import { formNumber, formText, ownPassword, withActionError } from "@/lib/http/action-result";
import { action, postAction } from "@/lib/http/server-action";

const environment = z.enum(ENVIRONMENTS);

export const createTokenAction = action({
  input: (form) => {
    const days = formText(form, "expiresInDays") || "90";
    const scope = formText(form, "scope");
    return {
      name: formText(form, "name"),
      expiresInDays: days === "never" ? null : Number(days),
      scopes: scope ? [scope] : [],
      currentPassword: ownPassword(form),
    };
  },
  run: (actor, input, meta) => createPersonalAccessToken(actor, meta, input),
  revalidate: () => ["/settings"],
  reply: (created) => ({ ok: true, data: { token: created.token } }),
});

export const revokeTokenAction = postAction({
  input: (form) => formText(form, "tokenId"),
  run: (actor, tokenId, meta) => revokePersonalAccessToken(actor, meta, tokenId),
  revalidate: () => ["/settings"],
  failure: (message) => withActionError("/settings", message),
});

/** datetime-local inputs carry no zone: the form labels them UTC. Empty means now. */
function utcFromLocalInput(v: string): Date {
  if (!v) return new Date();
  return new Date(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? `${v}:00Z` : v);
}

export const setPriceAction = action({
  input: (form) => {
    const num = (k: string) => {
      const v = formText(form, k, { trim: true });
      return v === "" ? Number.NaN : Number(v);
    };
    return {
      provider: formText(form, "provider"),
      model: formText(form, "model"),
      inputUsdPerMTok: num("inputUsdPerMTok"),
      cachedInputUsdPerMTok: num("cachedInputUsdPerMTok"),
      outputUsdPerMTok: num("outputUsdPerMTok"),
      effectiveFrom: utcFromLocalInput(formText(form, "effectiveFrom")),
    };
  },
  run: (actor, input, meta) => setModelPrice(actor, meta, input),
  revalidate: () => ["/settings"],
  reply: (price) => ({ ok: true, message: `Saved ${price.provider}/${price.model}.` }),
});

export const setPolicyAction = postAction({
  args: [environment, z.boolean()],
  run: (actor, _, meta, environment, requireApproval) =>
    setEnvironmentPolicy(actor, meta, { environment, requireApproval }),
  revalidate: () => ["/settings"],
  redirect: (r) => ("requestId" in r ? "/approvals?requested=1" : undefined),
  failure: (message) => withActionError("/settings", message),
});

export const setTimeZoneAction = action({
  input: (form) => ({ timeZone: formText(form, "timeZone") }),
  run: (actor, input, meta) => updateOrgSettings(actor, meta, input),
  revalidate: () => ["/settings", "/budgets"],
  reply: (s) => ({ ok: true, message: `Budget periods now start at midnight ${s.timeZone}.` }),
});

export const setRetentionAction = action({
  input: (form) => ({
    usageRetentionMonths: formText(form, "usageRetentionMonths"),
    auditRetentionMonths: formText(form, "auditRetentionMonths"),
  }),
  run: (actor, input, meta) => updateOrgSettings(actor, meta, input),
  revalidate: () => ["/settings"],
  reply: (s) => ({
    ok: true,
    message: s.pendingChange
      ? `Keeping data for less time waits for a second admin's approval (on Approvals). Until then raw usage and decisions are kept ${s.usageRetentionMonths} months, the audit trail ${s.auditRetentionMonths}.`
      : `Raw usage and decisions are kept ${s.usageRetentionMonths} months, the audit trail ${s.auditRetentionMonths}.`,
  }),
});

export const setTokenPolicyAction = action({
  input: (form) => ({
    tokensIssueCredentials: formText(form, "tokensIssueCredentials") === "on",
    currentPassword: ownPassword(form),
  }),
  run: (actor, input, meta) => updateOrgSettings(actor, meta, input),
  revalidate: () => ["/settings"],
  reply: (s) => ({
    ok: true,
    message: s.pendingChange
      ? "Request sent."
      : s.tokensIssueCredentials
        ? "Tokens may issue credentials again."
        : "Tokens may no longer issue credentials: an admin does that in the console.",
  }),
});

export const createWebhookAction = action({
  input: (form) => ({
    name: formText(form, "name"),
    url: formText(form, "url").trim(),
    currentPassword: ownPassword(form),
  }),
  run: (actor, input, meta) => createWebhookEndpoint(actor, meta, input),
  revalidate: () => ["/settings"],
  reply: (e) => ({ ok: true, data: { token: e.secret } }),
});

export const deleteWebhookAction = action({
  args: [z.string()],
  run: (actor, _, meta, endpointId) => deleteWebhookEndpoint(actor, meta, endpointId),
  revalidate: () => ["/settings"],
});

export const testWebhookAction = action({
  args: [z.string()],
  run: (actor, _, meta, endpointId) => sendTestWebhook(actor, meta, endpointId),
  revalidate: () => ["/settings"],
  reply: (d) =>
    d.status === "succeeded"
      ? { ok: true, message: `Delivered: HTTP ${d.lastStatus}` }
      : { ok: false, message: `Not delivered (${d.lastError ?? "unknown error"}); it will be retried with back-off.` },
});

export const createAuditSinkAction = action({
  input: (form) => ({
    name: formText(form, "name"),
    kind: formText(form, "kind"),
    url: formText(form, "url").trim(),
    token: formText(form, "token") || undefined,
    startFrom: formText(form, "startFrom") || undefined,
    currentPassword: ownPassword(form),
  }),
  run: (actor, input, meta) => createAuditSink(actor, meta, input),
  revalidate: () => ["/settings"],
  reply: (s) =>
    s.secret
      ? { ok: true, data: { token: s.secret } }
      : { ok: true, message: `Sink "${s.name}" added: the trail streams to it within seconds.` },
});

export const deleteAuditSinkAction = action({
  args: [z.string()],
  run: (actor, _, meta, sinkId) => deleteAuditSink(actor, meta, sinkId),
  revalidate: () => ["/settings"],
  reply: (r) => ({
    ok: true,
    message:
      "pendingChange" in r ? "Waits for a second admin (Approvals): it keeps streaming until then." : "Sink deleted.",
  }),
});

export const setGatesAction = action({
  args: [environment],
  input: (form) => ({
    ...parseSuitesText(formText(form, "suites")),
    maxCostPerPassedCaseUsd: formNumber(form, "maxCostPerPassedCaseUsd"),
  }),
  run: (actor, input, meta, environment) => setRequiredSuites(actor, meta, { environment, ...input }),
  revalidate: () => ["/settings"],
  reply: (r, environment) => {
    if ("requestId" in r)
      return {
        ok: true,
        message:
          "Loosening a gate (a suite dropped, a minimum score lowered, a cost limit raised or removed) waits for another admin's approval (Approvals).",
      };
    const cost = r.maxCostPerPassedCaseUsd === null ? "" : ` at most $${r.maxCostPerPassedCaseUsd} per passed case`;
    return {
      ok: true,
      message: r.requiredSuites.length
        ? `Saved: ${environment} requires ${suitesText(r.requiredSuites, r.minScores)}${cost}.`
        : `Saved: ${environment} has no gate.`,
    };
  },
});

/** The fields of components/settings/password-form.tsx. */
const passwordFields = (form: FormData) => ({
  currentPassword: formText(form, "currentPassword"),
  newPassword: formText(form, "newPassword"),
  confirmPassword: formText(form, "confirmPassword"),
});

export const changeOwnPasswordAction = action({
  input: passwordFields,
  run: (actor, input, meta) => changeOwnPassword(actor, meta, input),
  reply: "Password changed. Use it from your next sign-in.",
});
