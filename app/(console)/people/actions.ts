"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requestMeta, requireSessionActor } from "@/lib/auth/session";
import { createTeam } from "@/lib/domain/teams/create-team";
import { renameTeam } from "@/lib/domain/teams/rename-team";
import { createUser } from "@/lib/domain/users/create-user";
import { revokeUserSessions } from "@/lib/domain/users/revoke-user-sessions";
import { setUserStatus } from "@/lib/domain/users/set-user-status";
import { updateUser } from "@/lib/domain/users/update-user";
import { type ActionState, actionError, formText, formTexts } from "@/lib/http/action-result";

const text = (f: FormData, k: string) => formText(f, k, { trim: true });

/** The fields of components/people/person-form.tsx shared by add and edit; an empty password means "none" / "keep". */
function personFields(form: FormData) {
  const password = formText(form, "password");
  return {
    name: text(form, "name"),
    role: text(form, "role") as "viewer",
    teamIds: formTexts(form, "teamIds"),
    ...(password ? { password } : {}),
  };
}

export async function createPersonAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor();
  let id: string;
  let pending = false;
  try {
    const created = await createUser(actor, await requestMeta(), { ...personFields(form), email: text(form, "email") });
    id = created.id;
    pending = "pendingChange" in created;
  } catch (err) {
    return actionError(err);
  }
  revalidatePath("/people");
  redirect(pending ? "/approvals?requested=1" : `/people/${id}?created=1`);
}

export async function updatePersonAction(userId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor();
  let pending = false;
  try {
    const updated = await updateUser(actor, await requestMeta(), userId, personFields(form));
    pending = "pendingChange" in updated;
  } catch (err) {
    return actionError(err);
  }
  revalidatePath("/people");
  revalidatePath(`/people/${userId}`);
  return {
    ok: true,
    message: pending
      ? "Saved. Making them an admin waits for another admin's approval (Approvals)."
      : "Saved. The change applies from the person's next request.",
  };
}

export async function setPersonStatusAction(
  userId: string,
  status: "active" | "disabled",
  _prev: ActionState,
  _form: FormData,
): Promise<ActionState> {
  const actor = await requireSessionActor();
  try {
    await setUserStatus(actor, await requestMeta(), userId, status);
  } catch (err) {
    return actionError(err);
  }
  revalidatePath("/people");
  revalidatePath(`/people/${userId}`);
  return { ok: true };
}

export async function revokeSessionsAction(userId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor();
  let revoked: number;
  try {
    ({ revoked } = await revokeUserSessions(actor, await requestMeta(), userId));
  } catch (err) {
    return actionError(err);
  }
  return { ok: true, message: `Signed out everywhere: ${revoked} session${revoked === 1 ? "" : "s"} ended.` };
}

export async function createTeamAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor();
  try {
    const team = await createTeam(actor, await requestMeta(), { slug: text(form, "slug"), name: text(form, "name") });
    revalidatePath("/people");
    return { ok: true, message: `Team ${team.name} added.` };
  } catch (err) {
    return actionError(err);
  }
}

export async function renameTeamAction(teamId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const actor = await requireSessionActor();
  try {
    await renameTeam(actor, await requestMeta(), teamId, { name: text(form, "name") });
    revalidatePath("/people");
    return { ok: true, message: "Renamed." };
  } catch (err) {
    return actionError(err);
  }
}
