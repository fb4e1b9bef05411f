"use server";

import { z } from "zod";
import { createTeam } from "@/lib/domain/teams/create-team";
import { renameTeam } from "@/lib/domain/teams/rename-team";
import { createUser } from "@/lib/domain/users/create-user";
import { revokeUserSessions } from "@/lib/domain/users/revoke-user-sessions";
import { setUserStatus } from "@/lib/domain/users/set-user-status";
import { unlinkSsoAccount } from "@/lib/domain/users/unlink-sso-account";
import { updateUser } from "@/lib/domain/users/update-user";
import { formText, formTexts, ownPassword } from "@/lib/http/action-result";
import { action } from "@/lib/http/server-action";

const text = (f: FormData, k: string) => formText(f, k, { trim: true });

/** The fields of components/people/person-form.tsx shared by add and edit; an empty password means "none" / "keep". */
function personFields(form: FormData) {
  const password = formText(form, "password");
  return {
    name: text(form, "name"),
    role: text(form, "role") as "viewer",
    teamIds: formTexts(form, "teamIds"),
    ...(password ? { password, currentPassword: ownPassword(form) } : {}),
  };
}

const userId = z.string();

export const createPersonAction = action({
  input: (form) => ({ ...personFields(form), email: text(form, "email") }),
  run: (actor, input, meta) => createUser(actor, meta, input),
  revalidate: () => ["/people"],
  redirect: (created) => ("pendingChange" in created ? "/approvals?requested=1" : `/people/${created.id}?created=1`),
});

export const updatePersonAction = action({
  args: [userId],
  input: personFields,
  run: (actor, input, meta, userId) => updateUser(actor, meta, userId, input),
  revalidate: (_, userId) => ["/people", `/people/${userId}`],
  reply: (updated) => ({
    ok: true,
    message:
      "pendingChange" in updated
        ? "Saved. Making them an admin waits for another admin's approval (Approvals)."
        : "Saved. The change applies from the person's next request.",
  }),
});

export const setPersonStatusAction = action({
  args: [userId, z.enum(["active", "disabled"])],
  run: (actor, _, meta, userId, status) => setUserStatus(actor, meta, userId, status),
  revalidate: (_, userId) => ["/people", `/people/${userId}`],
});

export const revokeSessionsAction = action({
  args: [userId],
  run: (actor, _, meta, userId) => revokeUserSessions(actor, meta, userId),
  reply: ({ revoked }) => ({
    ok: true,
    message: `Signed out everywhere: ${revoked} session${revoked === 1 ? "" : "s"} ended.`,
  }),
});

export const unlinkSsoAction = action({
  args: [userId],
  run: (actor, _, meta, userId) => unlinkSsoAccount(actor, meta, userId),
  reply: () => ({ ok: true, message: "Unlinked: their next single sign-on links them to the account it comes from." }),
});

export const createTeamAction = action({
  input: (form) => ({ slug: text(form, "slug"), name: text(form, "name") }),
  run: (actor, input, meta) => createTeam(actor, meta, input),
  revalidate: () => ["/people"],
  reply: (team) => ({ ok: true, message: `Team ${team.name} added.` }),
});

export const renameTeamAction = action({
  args: [z.string()],
  input: (form) => ({ name: text(form, "name") }),
  run: (actor, input, meta, teamId) => renameTeam(actor, meta, teamId, input),
  revalidate: () => ["/people"],
  reply: "Renamed.",
});
