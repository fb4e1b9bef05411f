"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requestMeta, requireSessionActor } from "@/lib/auth/session";
import { registerAgent } from "@/lib/domain/agents/register-agent";
import { retireAgent } from "@/lib/domain/agents/retire-agent";
import { resumeAgent, suspendAgent } from "@/lib/domain/agents/set-agent-status";
import { updateAgent } from "@/lib/domain/agents/update-agent";
import { approveChangeRequest, rejectChangeRequest } from "@/lib/domain/changes/decide-change-request";
import { deployVersion } from "@/lib/domain/deployments/deploy-version";
import { createAgentKey } from "@/lib/domain/keys/create-agent-key";
import { revokeAgentKey } from "@/lib/domain/keys/revoke-agent-key";
import { rotateAgentKey } from "@/lib/domain/keys/rotate-agent-key";
import { createAgentVersion } from "@/lib/domain/versions/create-agent-version";
import { type ActionState, actionError, formText, jsonField, redirectWithActionError } from "@/lib/http/action-result";

const text = (f: FormData, k: string) => formText(f, k);

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
    parameters: jsonField(form.get("parameters"), `${errorPrefix}parameters`) as Record<string, unknown>,
    extra: jsonField(form.get("extra"), `${errorPrefix}extra`) as Record<string, unknown>,
  };
}

export async function registerAgentAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor();
  let slug: string;
  try {
    const agent = await registerAgent(actor, await requestMeta(), {
      slug: text(form, "slug"),
      name: text(form, "name"),
      description: text(form, "description"),
      teamId: text(form, "teamId"),
      environment: text(form, "environment") as "dev",
      ownerId: text(form, "ownerId") || null,
      config: configFromForm(form, "config."),
    });
    slug = agent.slug;
  } catch (err) {
    return actionError(err);
  }
  revalidatePath("/agents");
  redirect(`/agents/${slug}?registered=1`);
}

export async function updateAgentAction(agentId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor();
  let slug: string;
  let pending = false;
  try {
    const agent = await updateAgent(actor, await requestMeta(), agentId, {
      name: text(form, "name"),
      description: text(form, "description"),
      teamId: text(form, "teamId"),
      environment: text(form, "environment") as "dev",
      ownerId: text(form, "ownerId") || null,
    });
    slug = agent.slug;
    pending = !!agent.pendingChange;
  } catch (err) {
    return actionError(err);
  }
  revalidatePath(`/agents/${slug}`);
  redirect(pending ? "/approvals?requested=1" : `/agents/${slug}?saved=1`);
}

export type KeyActionState = ActionState & { token?: string; keyName?: string };

export async function createKeyAction(
  agentId: string,
  slug: string,
  _prev: KeyActionState,
  form: FormData,
): Promise<KeyActionState> {
  const actor = await requireSessionActor();
  try {
    const days = text(form, "expiresInDays");
    const key = await createAgentKey(actor, await requestMeta(), agentId, {
      name: text(form, "name"),
      expiresInDays: days === "never" ? null : Number(days),
    });
    revalidatePath(`/agents/${slug}`);
    return { ok: true, token: key.token, keyName: key.name };
  } catch (err) {
    return actionError(err);
  }
}

export async function rotateKeyAction(
  agentId: string,
  slug: string,
  keyId: string,
  _prev: KeyActionState,
  form: FormData,
): Promise<KeyActionState> {
  const actor = await requireSessionActor();
  try {
    const key = await rotateAgentKey(actor, await requestMeta(), agentId, keyId, {
      graceMinutes: Number(text(form, "graceMinutes") || 60),
    });
    revalidatePath(`/agents/${slug}`);
    return { ok: true, token: key.token, keyName: key.name };
  } catch (err) {
    return actionError(err);
  }
}

export async function revokeKeyAction(agentId: string, slug: string, keyId: string): Promise<void> {
  const actor = await requireSessionActor();
  try {
    await revokeAgentKey(actor, await requestMeta(), agentId, keyId);
  } catch (err) {
    redirectWithActionError(`/agents/${encodeURIComponent(slug.toWellFormed())}`, err);
  }
  revalidatePath(`/agents/${slug}`);
}

export async function suspendAgentAction(
  agentId: string,
  slug: string,
  _prev: ActionState,
  form: FormData,
): Promise<ActionState> {
  const actor = await requireSessionActor();
  try {
    await suspendAgent(actor, await requestMeta(), agentId, { reason: text(form, "reason") });
  } catch (err) {
    return actionError(err);
  }
  revalidatePath(`/agents/${slug}`);
  revalidatePath("/agents");
  return { ok: true };
}

export async function retireAgentAction(
  agentId: string,
  slug: string,
  _prev: ActionState,
  form: FormData,
): Promise<ActionState> {
  const actor = await requireSessionActor();
  try {
    await retireAgent(actor, await requestMeta(), agentId, { reason: text(form, "reason") });
  } catch (err) {
    return actionError(err);
  }
  revalidatePath(`/agents/${slug}`);
  revalidatePath("/agents");
  return { ok: true };
}

export async function resumeAgentAction(agentId: string, slug: string): Promise<void> {
  const actor = await requireSessionActor();
  try {
    await resumeAgent(actor, await requestMeta(), agentId);
  } catch (err) {
    redirectWithActionError(`/agents/${encodeURIComponent(slug.toWellFormed())}`, err);
  }
  revalidatePath(`/agents/${slug}`);
  revalidatePath("/agents");
}

export async function createVersionAction(
  agentId: string,
  slug: string,
  _prev: ActionState,
  form: FormData,
): Promise<ActionState> {
  const actor = await requireSessionActor();
  let number: number;
  try {
    const v = await createAgentVersion(actor, await requestMeta(), agentId, {
      ...configFromForm(form, ""),
      note: text(form, "note"),
    });
    number = v.number;
  } catch (err) {
    return actionError(err);
  }
  revalidatePath(`/agents/${slug}`);
  redirect(`/agents/${slug}/versions/${number}?created=1`);
}

export async function deployVersionAction(
  agentId: string,
  slug: string,
  versionNumber: number,
  _prev: ActionState,
  form: FormData,
): Promise<ActionState> {
  const actor = await requireSessionActor();
  let outcome: string;
  try {
    const r = await deployVersion(actor, await requestMeta(), agentId, {
      versionNumber,
      reason: text(form, "reason"),
      overrideGates: form.get("overrideGates") === "on",
    });
    outcome = r.status === "deployed" ? (r.kind === "rollback" ? "rolledback" : "deployed") : "pending";
  } catch (err) {
    return actionError(err);
  }
  revalidatePath(`/agents/${slug}`);
  redirect(`/agents/${slug}?tab=versions&${outcome}=${versionNumber}`);
}

export async function decideRequestAction(
  slug: string,
  requestId: string,
  decision: "approve" | "reject",
): Promise<void> {
  const actor = await requireSessionActor();
  let result = decision === "approve" ? "approved" : "rejected";
  try {
    if (decision === "approve") await approveChangeRequest(actor, await requestMeta(), requestId);
    else await rejectChangeRequest(actor, await requestMeta(), requestId);
  } catch (err) {
    const e = actionError(err);
    result = `error&message=${encodeURIComponent((e.message ?? "failed").toWellFormed())}`;
  }
  revalidatePath(`/agents/${slug}`);
  redirect(`/agents/${slug}?tab=versions&request=${result}`);
}
