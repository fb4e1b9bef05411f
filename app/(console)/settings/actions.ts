"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requestMeta, requireSessionActor } from "@/lib/auth/session";
import { setEnvironmentPolicy, setRequiredSuites } from "@/lib/domain/deployments/policies";
import { setModelPrice } from "@/lib/domain/pricing/set-model-price";
import { updateOrgSettings } from "@/lib/domain/settings/update-org-settings";
import { createPersonalAccessToken } from "@/lib/domain/tokens/create-personal-access-token";
import { revokePersonalAccessToken } from "@/lib/domain/tokens/revoke-personal-access-token";
import { changeOwnPassword } from "@/lib/domain/users/change-own-password";
import { createWebhookEndpoint } from "@/lib/domain/webhooks/create-webhook-endpoint";
import { deleteWebhookEndpoint } from "@/lib/domain/webhooks/delete-webhook-endpoint";
import { sendTestWebhook } from "@/lib/domain/webhooks/send-test-webhook";
import { type ActionState, actionError, formText, redirectWithActionError } from "@/lib/http/action-result";

export type TokenState = ActionState & { token?: string };

export async function createTokenAction(_prev: TokenState, form: FormData): Promise<TokenState> {
  const actor = await requireSessionActor();
  try {
    const days = formText(form, "expiresInDays") || "90";
    const scope = formText(form, "scope");
    const created = await createPersonalAccessToken(actor, await requestMeta(), {
      name: formText(form, "name"),
      expiresInDays: days === "never" ? null : Number(days),
      scopes: scope ? [scope as "evals:write"] : [],
    });
    revalidatePath("/settings");
    return { ok: true, token: created.token };
  } catch (err) {
    return actionError(err);
  }
}

export async function revokeTokenAction(form: FormData): Promise<void> {
  const actor = await requireSessionActor();
  try {
    await revokePersonalAccessToken(actor, await requestMeta(), formText(form, "tokenId"));
  } catch (err) {
    redirectWithActionError("/settings", err);
  }
  revalidatePath("/settings");
}

export async function setPriceAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor();
  const num = (k: string) => {
    const v = formText(form, k, { trim: true });
    return v === "" ? Number.NaN : Number(v);
  };
  try {
    const price = await setModelPrice(actor, await requestMeta(), {
      provider: formText(form, "provider"),
      model: formText(form, "model"),
      inputUsdPerMTok: num("inputUsdPerMTok"),
      cachedInputUsdPerMTok: num("cachedInputUsdPerMTok"),
      outputUsdPerMTok: num("outputUsdPerMTok"),
      effectiveFrom: utcFromLocalInput(formText(form, "effectiveFrom")),
    });
    revalidatePath("/settings");
    return { ok: true, message: `Saved ${price.provider}/${price.model}.` };
  } catch (err) {
    return actionError(err);
  }
}

/** datetime-local inputs carry no zone: the form labels them UTC. Empty means now. */
function utcFromLocalInput(v: string): Date {
  if (!v) return new Date();
  return new Date(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? `${v}:00Z` : v);
}

export async function setPolicyAction(
  environment: "dev" | "staging" | "prod",
  requireApproval: boolean,
): Promise<void> {
  const actor = await requireSessionActor();
  let r: Awaited<ReturnType<typeof setEnvironmentPolicy>>;
  try {
    r = await setEnvironmentPolicy(actor, await requestMeta(), { environment, requireApproval });
  } catch (err) {
    redirectWithActionError("/settings", err);
  }
  revalidatePath("/settings");
  if ("requestId" in r) redirect("/approvals?requested=1");
}

export async function setTimeZoneAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor();
  try {
    const s = await updateOrgSettings(actor, await requestMeta(), { timeZone: formText(form, "timeZone") });
    revalidatePath("/settings");
    revalidatePath("/budgets");
    return { ok: true, message: `Budget periods now start at midnight ${s.timeZone}.` };
  } catch (err) {
    return actionError(err);
  }
}

export async function createWebhookAction(_prev: TokenState, form: FormData): Promise<TokenState> {
  const actor = await requireSessionActor();
  try {
    const e = await createWebhookEndpoint(actor, await requestMeta(), {
      name: formText(form, "name"),
      url: formText(form, "url").trim(),
    });
    revalidatePath("/settings");
    return { ok: true, token: e.secret };
  } catch (err) {
    return actionError(err);
  }
}

export async function deleteWebhookAction(
  endpointId: string,
  _prev: ActionState,
  _form: FormData,
): Promise<ActionState> {
  const actor = await requireSessionActor();
  try {
    await deleteWebhookEndpoint(actor, await requestMeta(), endpointId);
  } catch (err) {
    return actionError(err);
  }
  revalidatePath("/settings");
  return { ok: true };
}

export async function testWebhookAction(endpointId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor();
  try {
    const d = await sendTestWebhook(actor, await requestMeta(), endpointId);
    revalidatePath("/settings");
    return d.status === "succeeded"
      ? { ok: true, message: `Delivered: HTTP ${d.lastStatus}` }
      : { ok: false, message: `Not delivered (${d.lastError ?? "unknown error"}); it will be retried with back-off.` };
  } catch (err) {
    return actionError(err);
  }
}

export async function setGatesAction(
  environment: "dev" | "staging" | "prod",
  _prev: ActionState,
  form: FormData,
): Promise<ActionState> {
  const actor = await requireSessionActor();
  try {
    const suites = formText(form, "suites")
      .split(/[\s,]+/)
      .filter(Boolean);
    const r = await setRequiredSuites(actor, await requestMeta(), { environment, suites });
    revalidatePath("/settings");
    if ("requestId" in r)
      return { ok: true, message: `Dropping a suite waits for another admin's approval (Approvals).` };
    return {
      ok: true,
      message: r.requiredSuites.length
        ? `Saved: ${environment} requires ${r.requiredSuites.join(", ")}.`
        : `Saved: ${environment} has no gate.`,
    };
  } catch (err) {
    return actionError(err);
  }
}

export async function changeOwnPasswordAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor();
  try {
    await changeOwnPassword(actor, await requestMeta(), {
      currentPassword: formText(form, "currentPassword"),
      newPassword: formText(form, "newPassword"),
      confirmPassword: formText(form, "confirmPassword"),
    });
    return { ok: true, message: "Password changed. Use it from your next sign-in." };
  } catch (err) {
    return actionError(err);
  }
}
