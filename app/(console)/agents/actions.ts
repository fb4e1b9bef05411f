"use server";

import { z } from "zod";
import { registerAgent } from "@/lib/domain/agents/register-agent";
import { retireAgent } from "@/lib/domain/agents/retire-agent";
import { removeAgentCard, setAgentCard } from "@/lib/domain/agents/set-agent-card";
import { resumeAgent, suspendAgent } from "@/lib/domain/agents/set-agent-status";
import { updateAgent } from "@/lib/domain/agents/update-agent";
import { rollBackCanary } from "@/lib/domain/canaries/end-canary";
import { promoteCanary } from "@/lib/domain/canaries/promote-canary";
import { startCanary } from "@/lib/domain/canaries/start-canary";
import { approveChangeRequest, rejectChangeRequest } from "@/lib/domain/changes/decide-change-request";
import { deployVersion } from "@/lib/domain/deployments/deploy-version";
import { createAgentKey } from "@/lib/domain/keys/create-agent-key";
import { revokeAgentKey } from "@/lib/domain/keys/revoke-agent-key";
import { rotateAgentKey } from "@/lib/domain/keys/rotate-agent-key";
import { createAgentVersion } from "@/lib/domain/versions/create-agent-version";
import {
  formNumber,
  formText,
  jsonField,
  type KeyActionState,
  ownPassword,
  pathSegment,
  withActionError,
} from "@/lib/http/action-result";
import { action, postAction } from "@/lib/http/server-action";

const text = (f: FormData, k: string) => formText(f, k);
const id = z.string();
const slug = z.string();

/** The config fields of components/agents/config-fields.tsx; JSON errors are reported under `errorPrefix`. */
function configFromForm(form: FormData, errorPrefix: string) {
  return {
    model: text(form, "model"),
    fallbackModel: text(form, "fallbackModel") || null,
    systemPrompt: text(form, "systemPrompt"),
    tools: text(form, "tools")
      .split(/[\n,]/)
      .map((t) => t.trim())
      .filter(Boolean),
    parameters: jsonField(form.get("parameters"), `${errorPrefix}parameters`),
    extra: jsonField(form.get("extra"), `${errorPrefix}extra`),
  };
}

/** The fields of components/agents/agent-form.tsx shared by register and edit. */
function detailsFromForm(form: FormData) {
  return {
    name: text(form, "name"),
    description: text(form, "description"),
    teamId: text(form, "teamId"),
    environment: text(form, "environment"),
    ownerId: text(form, "ownerId") || null,
  };
}

export const registerAgentAction = action({
  input: (form) => ({ ...detailsFromForm(form), slug: text(form, "slug"), config: configFromForm(form, "config.") }),
  run: (actor, input, meta) => registerAgent(actor, meta, input),
  revalidate: () => ["/agents"],
  // What happened to version 1: deployed, waiting for a second admin, or waiting for its required eval runs.
  redirect: (agent) =>
    `/agents/${agent.slug}?registered=${"pendingChange" in agent ? "approval" : "gateFailures" in agent ? "evals" : "deployed"}`,
});

export const updateAgentAction = action({
  args: [id],
  input: (form) => ({
    ...detailsFromForm(form),
    // Only sent when a move's eval gate is not met (components/agents/agent-form.tsx).
    ...(form.has("reason") ? { reason: text(form, "reason"), overrideGates: form.get("overrideGates") === "on" } : {}),
  }),
  run: (actor, input, meta, agentId) => updateAgent(actor, meta, agentId, input),
  revalidate: (agent) => [`/agents/${agent.slug}`],
  redirect: (agent) => (agent.pendingChange ? "/approvals?requested=1" : `/agents/${agent.slug}?saved=1`),
});

/** Key issue and rotation answer the new secret, shown once. */
const issuedKey = (key: { token: string; name: string }): KeyActionState => ({
  ok: true,
  data: { token: key.token, keyName: key.name },
});

export const createKeyAction = action({
  args: [id, slug],
  input: (form) => {
    const days = text(form, "expiresInDays");
    return {
      name: text(form, "name"),
      expiresInDays: days === "never" ? null : Number(days),
      currentPassword: ownPassword(form),
    };
  },
  run: (actor, input, meta, agentId) => createAgentKey(actor, meta, agentId, input),
  revalidate: (_, _agentId, slug) => [`/agents/${slug}`],
  reply: issuedKey,
});

export const rotateKeyAction = action({
  args: [id, slug, id],
  input: (form) => ({ graceMinutes: Number(text(form, "graceMinutes") || 60), currentPassword: ownPassword(form) }),
  run: (actor, input, meta, agentId, _slug, keyId) => rotateAgentKey(actor, meta, agentId, keyId, input),
  revalidate: (_, _agentId, slug) => [`/agents/${slug}`],
  reply: issuedKey,
});

export const revokeKeyAction = postAction({
  args: [id, slug, id],
  run: (actor, _, meta, agentId, _slug, keyId) => revokeAgentKey(actor, meta, agentId, keyId),
  revalidate: (_, _agentId, slug) => [`/agents/${slug}`],
  failure: (message, _agentId, slug) => withActionError(`/agents/${pathSegment(slug)}`, message),
});

const reason = (form: FormData) => ({ reason: text(form, "reason") });

export const suspendAgentAction = action({
  args: [id, slug],
  input: reason,
  run: (actor, input, meta, agentId) => suspendAgent(actor, meta, agentId, input),
  revalidate: (_, _agentId, slug) => [`/agents/${slug}`, "/agents"],
});

export const retireAgentAction = action({
  args: [id, slug],
  input: reason,
  run: (actor, input, meta, agentId) => retireAgent(actor, meta, agentId, input),
  revalidate: (_, _agentId, slug) => [`/agents/${slug}`, "/agents"],
});

export const setAgentCardAction = action({
  args: [id, slug],
  input: (form) => jsonField(form.get("card"), "card"),
  run: (actor, input, meta, agentId) => setAgentCard(actor, meta, agentId, input),
  revalidate: (_, _agentId, slug) => [`/agents/${slug}`],
  reply: "Card imported.",
});

export const removeAgentCardAction = postAction({
  args: [id, slug],
  run: (actor, _, meta, agentId) => removeAgentCard(actor, meta, agentId),
  revalidate: (_, _agentId, slug) => [`/agents/${slug}`],
  failure: (message, _agentId, slug) => withActionError(`/agents/${pathSegment(slug)}`, message),
});

export const resumeAgentAction = postAction({
  args: [id, slug],
  run: (actor, _, meta, agentId) => resumeAgent(actor, meta, agentId),
  revalidate: (_, _agentId, slug) => [`/agents/${slug}`, "/agents"],
  failure: (message, _agentId, slug) => withActionError(`/agents/${pathSegment(slug)}`, message),
});

export const createVersionAction = action({
  args: [id, slug],
  input: (form) => ({ ...configFromForm(form, ""), note: text(form, "note") }),
  run: (actor, input, meta, agentId) => createAgentVersion(actor, meta, agentId, input),
  revalidate: (_, _agentId, slug) => [`/agents/${slug}`],
  redirect: (version, _agentId, slug) => `/agents/${slug}/versions/${version.number}?created=1`,
});

export const deployVersionAction = action({
  args: [id, slug, z.number().int()],
  input: (form) => ({ reason: text(form, "reason"), overrideGates: form.get("overrideGates") === "on" }),
  run: (actor, input, meta, agentId, _slug, versionNumber) =>
    deployVersion(actor, meta, agentId, { ...input, versionNumber }),
  revalidate: (_, _agentId, slug) => [`/agents/${slug}`],
  redirect: (r, _agentId, slug, versionNumber) => {
    const outcome = r.status === "deployed" ? (r.kind === "rollback" ? "rolledback" : "deployed") : "pending";
    return `/agents/${slug}?tab=versions&${outcome}=${versionNumber}`;
  },
});

const optionalNumber = (f: FormData, k: string) => formNumber(f, k) ?? undefined;

export const startCanaryAction = action({
  args: [id, slug],
  input: (form) => ({
    versionNumber: Number(text(form, "versionNumber")),
    percent: optionalNumber(form, "percent"),
    maxCostIncreasePct: optionalNumber(form, "maxCostIncreasePct"),
    maxErrorRateIncreasePts: optionalNumber(form, "maxErrorRateIncreasePts"),
    minCalls: optionalNumber(form, "minCalls"),
    // An outcome guard only with an outcome type picked (its figures are left out otherwise).
    ...(text(form, "outcomeType")
      ? {
          outcomeType: text(form, "outcomeType"),
          maxCostPerSuccessIncreasePct: optionalNumber(form, "maxCostPerSuccessIncreasePct"),
          minOutcomes: optionalNumber(form, "minOutcomes"),
        }
      : {}),
    reason: text(form, "reason"),
  }),
  run: (actor, input, meta, agentId) => startCanary(actor, meta, agentId, input),
  revalidate: (_, _agentId, slug) => [`/agents/${slug}`],
  reply: (c) => ({
    ok: true,
    message:
      c.status === "started"
        ? `Canary started: v${c.versionNumber} on ${c.percent} % of routing keys.`
        : "Requested: the canary starts when another admin approves it (Approvals).",
  }),
});

export const promoteCanaryAction = action({
  args: [id, slug],
  run: (actor, _, meta, agentId) => promoteCanary(actor, meta, agentId),
  revalidate: (_, _agentId, slug) => [`/agents/${slug}`],
  reply: (r) => ({
    ok: true,
    message:
      r.status === "deployed"
        ? `Version ${r.versionNumber} is live for everyone.`
        : `Requested: version ${r.versionNumber} waits for another admin's approval (the canary runs until then).`,
  }),
});

export const rollBackCanaryAction = action({
  args: [id, slug],
  run: (actor, _, meta, agentId) => rollBackCanary(actor, meta, agentId, { reason: "Rolled back from the console" }),
  revalidate: (_, _agentId, slug) => [`/agents/${slug}`],
  reply: "Canary rolled back: every routing key gets the stable version.",
});

export const decideRequestAction = postAction({
  args: [slug, id, z.enum(["approve", "reject"])],
  run: (actor, _, meta, _slug, requestId, decision) =>
    decision === "approve" ? approveChangeRequest(actor, meta, requestId) : rejectChangeRequest(actor, meta, requestId),
  revalidate: (_, slug) => [`/agents/${slug}`],
  redirect: (_, slug, _requestId, decision) =>
    `/agents/${slug}?tab=versions&request=${decision === "approve" ? "approved" : "rejected"}`,
  failure: (message, slug) => withActionError(`/agents/${pathSegment(slug)}?tab=versions`, message),
});
