"use client";

import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

export function RetentionForm({
  action,
  current,
  minimum,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  current: { usageRetentionMonths: number; auditRetentionMonths: number };
  minimum: number;
}) {
  const [state, onSubmit, pending, dialog] = useFormAction(action, {
    confirm: {
      title: "Change how long data is kept?",
      details:
        "Keeping data for less time waits for a second admin's approval. Once in force, raw usage events, decisions and audit events older than this are deleted within the hour, for good (the audit trail only up to a signed checkpoint, from which it still verifies). Spend charts, rollups and budget figures are kept. Each deletion is audited.",
      confirmLabel: "Save retention",
      tone: "danger",
    },
  });
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-start gap-3 p-4">
      {(
        [
          ["usageRetentionMonths", "Raw usage and decisions (months)"],
          ["auditRetentionMonths", "Audit trail (months)"],
        ] as const
      ).map(([name, label]) => (
        <div key={name} className="w-full sm:w-64">
          <Field
            label={label}
            htmlFor={`retention-${name}`}
            error={state.fieldErrors?.[name]}
            hint={`At least ${minimum}: the EU AI Act asks for six.`}
          >
            <Input
              id={`retention-${name}`}
              name={name}
              type="number"
              inputMode="numeric"
              min={minimum}
              max={120}
              step={1}
              required
              defaultValue={current[name]}
            />
          </Field>
        </div>
      ))}
      {/* Level with the fields (their hints hang below them), as on the password form. */}
      <Button type="submit" disabled={pending} className="sm:mt-6">
        Save retention
      </Button>
      {dialog}
      <FormMessage state={state} />
    </form>
  );
}
