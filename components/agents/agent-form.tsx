"use client";

import { useState } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";
import { ConfigFields } from "./config-fields";

type Option = { id: string; name: string };
export type AgentFormValues = {
  slug?: string;
  name?: string;
  description?: string;
  teamId?: string;
  environment?: string;
  ownerId?: string | null;
};

/** Register (with the initial config) or edit metadata (without it). */
export function AgentForm({
  action,
  teams,
  people,
  models,
  initial = {},
  mode,
  cancelHref,
  moveGates,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  teams: Option[];
  people: Option[];
  models: string[];
  initial?: AgentFormValues;
  mode: "register" | "edit";
  cancelHref: string;
  /** Editing: the live version, and what each environment's eval gates say of it (a move puts it live there). */
  moveGates?: { version: number | null; failures: Record<string, string[]> };
}) {
  const [state, onSubmit, pending] = useFormAction(action);
  const [environment, setEnvironment] = useState(initial.environment ?? "dev");
  const moving = environment !== initial.environment;
  const known = moveGates?.failures[environment] ?? [];
  // Known when the page was drawn, or learnt from the answer (a run recorded since).
  const gated = !moving
    ? null
    : known.length
      ? `Moving puts version ${moveGates?.version} live in ${environment}, and its eval gate is not met: ${known.join("; ")}.`
      : state.code === "eval_gate_failed"
        ? state.message
        : null;
  const err = (k: string) => state.fieldErrors?.[k];
  const inv = (k: string) => (err(k) ? { "aria-invalid": true as const, "aria-describedby": `${k}-error` } : {});
  return (
    <form onSubmit={onSubmit} className="space-y-6" noValidate>
      {state.message && !state.ok && gated !== state.message ? (
        <div role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {state.message}
        </div>
      ) : null}
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-900">Identity</legend>
        <Field label="Name" htmlFor="name" error={err("name")}>
          <Input id="name" name="name" defaultValue={initial.name} required maxLength={100} {...inv("name")} />
        </Field>
        {mode === "register" ? (
          <Field
            label="Slug"
            htmlFor="slug"
            error={err("slug")}
            hint="Unique, used in URLs and logs: lowercase letters, digits, dashes."
          >
            <Input
              id="slug"
              name="slug"
              defaultValue={initial.slug}
              required
              pattern="[a-z0-9][a-z0-9-]{1,62}"
              {...inv("slug")}
            />
          </Field>
        ) : (
          <Field label="Slug" htmlFor="slug" hint="The slug cannot change: runtimes and logs refer to it.">
            <Input id="slug" value={initial.slug} disabled readOnly />
          </Field>
        )}
        <Field label="Team" htmlFor="teamId" error={err("teamId")}>
          <Select id="teamId" name="teamId" defaultValue={initial.teamId ?? ""} required {...inv("teamId")}>
            <option value="" disabled>
              Choose a team…
            </option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Environment" htmlFor="environment" error={err("environment")}>
          <Select
            id="environment"
            name="environment"
            value={environment}
            onChange={(e) => setEnvironment(e.target.value)}
            {...inv("environment")}
          >
            <option value="dev">dev</option>
            <option value="staging">staging</option>
            <option value="prod">prod</option>
          </Select>
        </Field>
        <Field label="Owner" htmlFor="ownerId" error={err("ownerId")}>
          <Select id="ownerId" name="ownerId" defaultValue={initial.ownerId ?? ""} {...inv("ownerId")}>
            <option value="">{mode === "register" ? "Me" : "No owner"}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </Select>
        </Field>
        {gated ? (
          <div
            role="alert"
            className="space-y-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200 sm:col-span-2"
          >
            <p className="font-medium">{gated}</p>
            <label className="flex items-center gap-2">
              <input type="checkbox" name="overrideGates" className="rounded border-amber-400" />
              Override the gate (needs a reason; recorded in the audit trail as an override)
            </label>
            <Field label="Reason (required to override)" htmlFor="reason" error={err("reason")}>
              <Input id="reason" name="reason" maxLength={1000} {...inv("reason")} />
            </Field>
          </div>
        ) : null}
        <div className="sm:col-span-2">
          <Field label="Description" htmlFor="description" error={err("description")}>
            <Textarea
              id="description"
              name="description"
              rows={2}
              defaultValue={initial.description}
              className="font-sans text-sm"
              maxLength={2000}
              {...inv("description")}
            />
          </Field>
        </div>
      </fieldset>

      {mode === "register" ? (
        <fieldset className="grid gap-4 sm:grid-cols-2">
          <legend className="mb-2 text-sm font-semibold text-slate-900">Initial config (version 1)</legend>
          <ConfigFields
            defaults={{ parameters: '{\n  "temperature": 0.2\n}' }}
            models={models}
            errors={state.fieldErrors}
            errorPrefix="config."
          />
        </fieldset>
      ) : null}

      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : mode === "register" ? "Register agent" : "Save changes"}
        </Button>
        <ButtonLink href={cancelHref} variant="secondary">
          Cancel
        </ButtonLink>
      </div>
    </form>
  );
}
