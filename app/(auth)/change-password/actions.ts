"use server";

import { changeOwnPassword } from "@/lib/domain/users/change-own-password";
import { formText } from "@/lib/http/action-result";
import { action } from "@/lib/http/server-action";

/** The one action a person holding a one-time password may take: choosing their own. */
export const changeOneTimePasswordAction = action({
  passwordChange: true,
  input: (form) => ({
    currentPassword: formText(form, "currentPassword"),
    newPassword: formText(form, "newPassword"),
    confirmPassword: formText(form, "confirmPassword"),
  }),
  run: (actor, input, meta) => changeOwnPassword(actor, meta, input),
  redirect: () => "/",
});
