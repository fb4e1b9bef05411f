"use client";

import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select, TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { type FreshProof, FreshProofNote, OwnPasswordField } from "@/components/ui/fresh-proof";
import { useFormAction } from "@/components/ui/use-form-action";
import { RECENT_SIGN_IN_MINUTES } from "@/lib/domain/users/recent-sign-in";
import type { ActionState } from "@/lib/http/action-result";

export const ROLE_HELP: Record<string, string> = {
  admin: "changes everything",
  team_lead: "sees and budgets their teams' agents",
  auditor: "reads everything, the audit trail too",
  viewer: "reads agents and spend",
};

/** Add a person (e-mail and optional first password) or edit one (name, role, teams, new password). */
export function PersonForm({
  action,
  teams,
  initial,
  submitLabel,
  noPassword,
  proof = "none",
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  teams: { id: string; name: string }[];
  initial?: { name: string; email: string; role: string; teamIds: string[] };
  submitLabel: string;
  /** Why this person's password is not set here (shown instead of the field). */
  noPassword?: ReactNode;
  /** What setting a password asks of the acting admin now (lib/domain/users/fresh-proof.ts). */
  proof?: FreshProof;
}) {
  const [state, onSubmit, pending] = useFormAction(action);
  const err = state.fieldErrors ?? {};
  const editing = !!initial;
  return (
    <form onSubmit={onSubmit} className="space-y-4 p-4" aria-label={submitLabel}>
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField
          label="Name"
          id="person-name"
          error={err.name}
          name="name"
          defaultValue={initial?.name}
          required
          maxLength={100}
        />
        {editing ? (
          <Field label="E-mail" htmlFor="person-email" hint="The sign-in name; it does not change.">
            <Input id="person-email" value={initial.email} readOnly disabled />
          </Field>
        ) : (
          <TextField
            label="E-mail"
            id="person-email"
            error={err.email}
            name="email"
            type="email"
            required
            placeholder="name@company.com"
          />
        )}
        <Field label="Role" htmlFor="person-role" error={err.role}>
          <Select id="person-role" name="role" defaultValue={initial?.role ?? "viewer"}>
            {Object.entries(ROLE_HELP).map(([role, help]) => (
              <option key={role} value={role}>
                {role.replace("_", " ")}: {help}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <fieldset aria-describedby={err.teamIds ? "person-teams-error" : undefined}>
        <legend className="text-sm font-medium text-slate-700">Teams</legend>
        <p className="text-xs text-slate-500">
          A team lead leads the teams ticked here; for other roles teams are informative.
        </p>
        <div className="mt-2 flex flex-wrap gap-x-5 gap-y-2">
          {teams.length === 0 ? <span className="text-sm text-slate-500">No teams yet: add one below.</span> : null}
          {teams.map((t) => (
            <label key={t.id} className="inline-flex items-center gap-2 text-sm text-slate-800">
              <input
                type="checkbox"
                name="teamIds"
                value={t.id}
                defaultChecked={initial?.teamIds.includes(t.id)}
                className="size-4 rounded border-slate-300 text-indigo-600"
              />
              {t.name}
            </label>
          ))}
        </div>
        {err.teamIds ? (
          <p id="person-teams-error" className="mt-1 text-xs text-rose-600">
            {err.teamIds.join("; ")}
          </p>
        ) : null}
      </fieldset>
      {noPassword ? (
        <p className="text-sm text-slate-600">{noPassword}</p>
      ) : (
        <div className="max-w-sm">
          <TextField
            label={editing ? "New password" : "First password"}
            id="person-password"
            error={err.password}
            hint={
              editing
                ? "Leave blank to keep the current one."
                : "At least 10 characters. Leave blank for someone who signs in through SSO only."
            }
            name="password"
            type="password"
            autoComplete="new-password"
          />
          <div className="mt-3 space-y-3 empty:hidden">
            {proof === "sign_in" ? <FreshProofNote proof={proof} doing="set a password" /> : null}
            <OwnPasswordField
              id="person-current-password"
              label="Your own password"
              ask={proof === "password"}
              error={err.currentPassword}
              hint={`Needed only to set a password: you signed in more than ${RECENT_SIGN_IN_MINUTES} minutes ago.`}
            />
          </div>
        </div>
      )}
      <FormMessage state={state} />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : submitLabel}
      </Button>
    </form>
  );
}
