"use client";

import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

export function TimeZoneForm({
  action,
  current,
  zones,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  current: string;
  zones: string[];
}) {
  const [state, onSubmit, pending, dialog] = useFormAction(action, {
    confirm: {
      title: "Change the organisation time zone?",
      details:
        "Running budget periods run to their end; the next runs on to the new zone's boundary after next (up to about two periods under one limit), then periods follow the new zone. Spend by day is recomputed for it; usage reports wait a moment while that runs.",
      confirmLabel: "Change time zone",
      tone: "primary",
    },
  });
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3 p-4">
      <div className="w-72">
        <Field label="Organisation time zone" htmlFor="org-tz" error={state.fieldErrors?.timeZone}>
          <Select id="org-tz" name="timeZone" defaultValue={current}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Button type="submit" disabled={pending}>
        Save time zone
      </Button>
      {dialog}
      <FormMessage state={state} />
    </form>
  );
}
