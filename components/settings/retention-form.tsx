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
  current: number;
  minimum: number;
}) {
  const [state, onSubmit, pending, dialog] = useFormAction(action, {
    confirm: {
      title: "Change how long raw usage and decisions are kept?",
      details:
        "Raw usage events and decisions older than this are deleted within the hour, for good. Spend charts, rollups and budget figures are kept. Each deletion is audited.",
      confirmLabel: "Save retention",
      tone: "danger",
    },
  });
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3 p-4">
      <div className="w-72">
        <Field
          label="Keep raw usage and decisions for (months)"
          htmlFor="usage-retention"
          error={state.fieldErrors?.usageRetentionMonths}
          hint={`At least ${minimum} months: the EU AI Act asks for six.`}
        >
          <Input
            id="usage-retention"
            name="usageRetentionMonths"
            type="number"
            inputMode="numeric"
            min={minimum}
            max={120}
            step={1}
            required
            defaultValue={current}
          />
        </Field>
      </div>
      <Button type="submit" variant="secondary" disabled={pending}>
        Save retention
      </Button>
      {dialog}
      <FormMessage state={state} />
    </form>
  );
}
