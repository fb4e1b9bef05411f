"use client";

import { Field, Input, Textarea } from "@/components/ui/field";

export type ConfigDefaults = {
  model?: string;
  fallbackModel?: string;
  systemPrompt?: string;
  tools?: string;
  parameters?: string;
  extra?: string;
};

/**
 * The six config fields of a version, shared by "register agent" (version 1) and "new version".
 * `errorPrefix` is where the schema reports their errors ("config." when nested in the registration).
 */
export function ConfigFields({
  defaults,
  models,
  errors,
  errorPrefix = "",
}: {
  defaults: ConfigDefaults;
  models: string[];
  errors?: Record<string, string[]>;
  errorPrefix?: string;
}) {
  const err = (k: string) => errors?.[`${errorPrefix}${k}`];
  const inv = (k: string) => (err(k) ? { "aria-invalid": true as const, "aria-describedby": `${k}-error` } : {});
  return (
    <>
      <datalist id="known-models">
        {models.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
      <Field label="Model" htmlFor="model" error={err("model")}>
        <Input
          id="model"
          name="model"
          list="known-models"
          placeholder="e.g. gpt-5-mini"
          defaultValue={defaults.model}
          required
          {...inv("model")}
        />
      </Field>
      <Field
        label="Fallback model"
        htmlFor="fallbackModel"
        error={err("fallbackModel")}
        hint="Used when a budget degrades the agent."
      >
        <Input
          id="fallbackModel"
          name="fallbackModel"
          list="known-models"
          placeholder="optional"
          defaultValue={defaults.fallbackModel}
          {...inv("fallbackModel")}
        />
      </Field>
      <div className="sm:col-span-2">
        <Field label="System prompt" htmlFor="systemPrompt" error={err("systemPrompt")}>
          <Textarea
            id="systemPrompt"
            name="systemPrompt"
            rows={4}
            className="font-sans text-sm"
            defaultValue={defaults.systemPrompt}
            {...inv("systemPrompt")}
          />
        </Field>
      </div>
      <div className="sm:col-span-2">
        <Field
          label="Tools"
          htmlFor="tools"
          error={err("tools")}
          hint="One per line or comma-separated, e.g. github.create_issue"
        >
          <Textarea id="tools" name="tools" rows={2} defaultValue={defaults.tools} {...inv("tools")} />
        </Field>
      </div>
      <Field label="Parameters (JSON)" htmlFor="parameters" error={err("parameters")}>
        <Textarea
          id="parameters"
          name="parameters"
          rows={4}
          defaultValue={defaults.parameters ?? "{}"}
          {...inv("parameters")}
        />
      </Field>
      <Field label="Extra (JSON)" htmlFor="extra" error={err("extra")}>
        <Textarea id="extra" name="extra" rows={4} defaultValue={defaults.extra ?? "{}"} {...inv("extra")} />
      </Field>
    </>
  );
}
