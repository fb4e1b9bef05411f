"use server";

import { revalidatePath } from "next/cache";
import { requestMeta, requireSessionActor } from "@/lib/auth/session";
import { createPersonalAccessToken } from "@/lib/domain/tokens/create-personal-access-token";
import { revokePersonalAccessToken } from "@/lib/domain/tokens/revoke-personal-access-token";
import { actionError, type ActionState } from "@/lib/http/action-result";

export type TokenState = ActionState & { token?: string };

export async function createTokenAction(_prev: TokenState, form: FormData): Promise<TokenState> {
  const actor = await requireSessionActor();
  try {
    const days = String(form.get("expiresInDays") ?? "90");
    const created = await createPersonalAccessToken(actor, await requestMeta(), { name: String(form.get("name") ?? ""), expiresInDays: days === "never" ? null : Number(days) });
    revalidatePath("/settings");
    return { ok: true, token: created.token };
  } catch (err) {
    return actionError(err);
  }
}

export async function revokeTokenAction(form: FormData): Promise<void> {
  const actor = await requireSessionActor();
  await revokePersonalAccessToken(actor, await requestMeta(), String(form.get("tokenId")));
  revalidatePath("/settings");
}
