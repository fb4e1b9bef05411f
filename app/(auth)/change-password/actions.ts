"use server";

import { redirect } from "next/navigation";
import { requestMeta, requireSessionActor } from "@/lib/auth/session";
import { changeOwnPassword } from "@/lib/domain/users/change-own-password";
import { type ActionState, actionError, formText } from "@/lib/http/action-result";

/** The one action a person holding a one-time password may take: choosing their own. */
export async function changeOneTimePasswordAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor({ passwordChange: true });
  try {
    await changeOwnPassword(actor, await requestMeta(), {
      currentPassword: formText(form, "currentPassword"),
      newPassword: formText(form, "newPassword"),
      confirmPassword: formText(form, "confirmPassword"),
    });
  } catch (err) {
    return actionError(err);
  }
  redirect("/");
}
