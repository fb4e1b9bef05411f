"use server";

import { redirect } from "next/navigation";
import { requestMeta, requireSessionActor } from "@/lib/auth/session";
import { changeOwnPassword } from "@/lib/domain/users/change-own-password";
import { actionError, type ActionState } from "@/lib/http/action-result";

/** The one action a person holding a one-time password may take: choosing their own. */
export async function changeOneTimePasswordAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor({ passwordChange: true });
  try {
    await changeOwnPassword(actor, await requestMeta(), {
      currentPassword: String(form.get("currentPassword") ?? ""),
      newPassword: String(form.get("newPassword") ?? ""),
      confirmPassword: String(form.get("confirmPassword") ?? ""),
    });
  } catch (err) {
    return actionError(err);
  }
  redirect("/");
}
