"use client";

import { Button } from "@/components/ui/button";
import { Field, Select, TextField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";
import { CLASSIFICATION_LABELS, CLASSIFICATIONS, RESOURCE_KINDS } from "@/lib/domain/resources/schemas";
import type { ActionState } from "@/lib/http/action-result";

type Option = { id: string; label: string };
type Current = {
  name: string;
  pattern: string;
  kind: string;
  classification: string;
  description: string;
  ownerTeamId: string | null;
};

/** Catalogue a resource (or edit one): its name, the glob of its calls' resource strings, kind, classification, owner. */
export function ResourceForm({
  action,
  teams,
  resource,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  teams: Option[];
  resource?: Current;
}) {
  const [state, onSubmit, pending] = useFormAction(action);
  const err = state.fieldErrors ?? {};
  const verb = resource ? "Save" : "Catalogue resource";
  return (
    <form
      onSubmit={onSubmit}
      aria-label={resource ? "Edit resource" : "Catalogue a resource"}
      className="space-y-4 p-4"
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Name"
          id="resource-name"
          name="name"
          placeholder="CRM customers"
          defaultValue={resource?.name}
          error={err.name}
          required
        />
        <TextField
          label="Resource pattern"
          id="resource-pattern"
          name="pattern"
          placeholder="db:crm/customers*"
          defaultValue={resource?.pattern}
          hint="The resource strings agents authorize on it: * any run, ? one character; case is ignored."
          error={err.pattern}
          required
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Kind" htmlFor="resource-kind" error={err.kind}>
          <Select id="resource-kind" name="kind" defaultValue={resource?.kind ?? "dataset"}>
            {RESOURCE_KINDS.map((k) => (
              <option key={k} value={k}>
                {k === "dataset" ? "Data set" : k === "system" ? "System" : "Tool"}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          label="Classification"
          htmlFor="resource-classification"
          error={err.classification}
          hint="Rules can match on it; where entries overlap, the most sensitive counts."
        >
          <Select
            id="resource-classification"
            name="classification"
            defaultValue={resource?.classification ?? "internal"}
          >
            {CLASSIFICATIONS.map((c) => (
              <option key={c} value={c}>
                {CLASSIFICATION_LABELS[c]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Owner team" htmlFor="resource-owner" error={err.ownerTeamId}>
          <Select id="resource-owner" name="ownerTeamId" defaultValue={resource?.ownerTeamId ?? ""}>
            <option value="">none</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <TextField
        label="Description"
        id="resource-description"
        name="description"
        placeholder="What it holds, and who to ask"
        defaultValue={resource?.description}
        error={err.description}
      />
      <FormMessage state={state} />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : verb}
      </Button>
    </form>
  );
}
