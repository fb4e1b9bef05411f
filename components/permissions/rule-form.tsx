"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Select, TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ShadowReport } from "@/lib/domain/permissions/shadow-schemas";
import { CLASSIFICATION_LABELS, CLASSIFICATIONS } from "@/lib/domain/resources/schemas";
import type { ActionState, ReplayState } from "@/lib/http/action-result";
import { useReplayPreview } from "./replay-summary";

export type RuleView = {
  id: string;
  position: number;
  effect: "allow" | "deny";
  action: string;
  resource: string;
  maxCostUsd: number | null;
  allowedHours: { from: string; to: string; timeZone?: string; days?: number[] } | null;
  requiresApproval: boolean;
  approvalTimeoutMinutes: number;
  toolAnnotation: string | null;
  classification?: string | null;
  description: string;
  mode: "enforce" | "shadow";
  /** A shadow rule's would-be effect over the last 7 days. */
  shadow?: ShadowReport;
};

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** Add or edit one rule. `idPrefix` keeps ids unique when several forms are on the page. */
export function RuleForm({
  action,
  rule,
  idPrefix,
  submitLabel,
  onDone,
  onCancel,
  preview,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  /** Replays the draft against the recorded calls, shown beside Save. */
  preview?: (prev: ReplayState, form: FormData) => Promise<ReplayState>;
  rule?: RuleView;
  idPrefix: string;
  submitLabel: string;
  onDone?: () => void;
  onCancel?: () => void;
}) {
  const [state, onSubmit, pending] = useFormAction(action);
  const err = state.fieldErrors ?? {};
  const id = (f: string) => `${idPrefix}-${f}`;
  const form = useRef<HTMLFormElement>(null);
  const replay = useReplayPreview(preview, form);
  // The expiry only means something for a rule that requires approval: read-only (still sent, so an edit keeps it)
  // while approval is not ticked.
  const [approval, setApproval] = useState(rule?.requiresApproval ?? false);
  const expiry = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (state.ok && state.message) onDone?.();
  }, [state, onDone]);
  return (
    <form ref={form} onSubmit={onSubmit} className="space-y-3" aria-label={submitLabel}>
      <div className="grid gap-3 sm:grid-cols-[8rem_1fr_1fr_12rem]">
        <Field label="Effect" htmlFor={id("effect")} error={err.effect}>
          <Select id={id("effect")} name="effect" defaultValue={rule?.effect ?? "allow"}>
            <option value="allow">allow</option>
            <option value="deny">deny</option>
          </Select>
        </Field>
        <TextField
          label="Action"
          id={id("action")}
          error={err.action}
          hint="tool:invoke, data:read, model:use… (* and ? are wildcards)"
          name="action"
          defaultValue={rule?.action}
          placeholder="tool:invoke"
          required
          className="font-mono"
        />
        <TextField
          label="Resource pattern"
          id={id("resource")}
          error={err.resource}
          hint="e.g. github.*, customers/*, gpt-5*"
          name="resource"
          defaultValue={rule?.resource}
          placeholder="github.*"
          required
          className="font-mono"
        />
        <Field label="Mode" htmlFor={id("mode")} error={err.mode} hint="shadow: recorded, never enforced">
          <Select id={id("mode")} name="mode" defaultValue={rule?.mode ?? "enforce"}>
            <option value="enforce">enforce</option>
            <option value="shadow">shadow (record only)</option>
          </Select>
        </Field>
      </div>
      <fieldset className="rounded-md border border-slate-200 p-3">
        <legend className="px-1 text-xs font-medium text-slate-500">
          Conditions (optional; they narrow when an allow applies)
        </legend>
        <div className="grid gap-3 sm:grid-cols-4">
          <TextField
            label="Max cost per call (USD)"
            id={id("maxcost")}
            error={err.maxCostPerCallUsd}
            name="maxCostPerCallUsd"
            type="number"
            min="0"
            step="0.0001"
            defaultValue={rule?.maxCostUsd ?? ""}
            placeholder="no limit"
          />
          <TextField
            label="Allowed from"
            id={id("from")}
            error={err["allowedHours.from"]}
            name="hoursFrom"
            type="time"
            defaultValue={rule?.allowedHours?.from ?? ""}
          />
          <TextField
            label="until"
            id={id("to")}
            error={err["allowedHours.to"]}
            name="hoursTo"
            type="time"
            defaultValue={rule?.allowedHours?.to ?? ""}
          />
          <TextField
            label="Time zone"
            id={id("tz")}
            error={err["allowedHours.timeZone"]}
            name="timeZone"
            defaultValue={rule?.allowedHours?.timeZone ?? "UTC"}
            placeholder="UTC"
          />
        </div>
        <div className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
          <span className="text-slate-600">On days</span>
          {DAYS.map((d, i) => (
            <label key={d} className="inline-flex items-center gap-1">
              <input
                type="checkbox"
                name="days"
                value={i}
                defaultChecked={rule?.allowedHours?.days?.includes(i) ?? false}
                className="rounded border-slate-300"
              />
              {d}
            </label>
          ))}
          <span className="text-xs text-slate-500">(none ticked = every day)</span>
        </div>
        <div className="mt-3 flex flex-wrap items-start gap-x-4 gap-y-2 text-sm">
          <label className="inline-flex items-center gap-2 sm:mt-6 sm:py-1.5">
            <input
              type="checkbox"
              name="requiresApproval"
              defaultChecked={rule?.requiresApproval ?? false}
              onChange={(e) => {
                setApproval(e.target.checked);
                // An expiry the server would refuse (0) cannot stay in a field that can no longer be edited.
                const field = expiry.current;
                if (!e.target.checked && field && !field.checkValidity())
                  field.value = String(rule?.approvalTimeoutMinutes ?? 15);
              }}
              className="rounded border-slate-300"
            />
            Requires a person&apos;s approval
          </label>
          <TextField
            label="Approval expires after (minutes)"
            id={id("approvalTimeout")}
            error={err.approvalTimeoutMinutes}
            name="approvalTimeoutMinutes"
            type="number"
            min={1}
            max={1440}
            inputMode="numeric"
            defaultValue={rule?.approvalTimeoutMinutes ?? 15}
            ref={expiry}
            readOnly={!approval}
            hint={approval ? undefined : "when approval is required"}
            className={approval ? undefined : "bg-slate-50 text-slate-500 ring-slate-200"}
          />
          <Field
            label="Only MCP tools marked"
            htmlFor={id("toolAnnotation")}
            error={err.toolAnnotation}
            hint="from the tool catalog's annotations"
          >
            <Select id={id("toolAnnotation")} name="toolAnnotation" defaultValue={rule?.toolAnnotation ?? ""}>
              <option value="">any tool</option>
              <option value="read_only">read-only</option>
              <option value="destructive">destructive</option>
              <option value="idempotent">idempotent</option>
              <option value="open_world">open-world</option>
            </Select>
          </Field>
          <Field
            label="Only resources classified"
            htmlFor={id("classification")}
            error={err.classification}
            hint="by the Resources catalogue"
          >
            <Select id={id("classification")} name="classification" defaultValue={rule?.classification ?? ""}>
              <option value="">any classification</option>
              {CLASSIFICATIONS.map((c) => (
                <option key={c} value={c}>
                  {CLASSIFICATION_LABELS[c].toLowerCase()}
                </option>
              ))}
            </Select>
          </Field>
        </div>
      </fieldset>
      <TextField
        label="Description"
        id={id("description")}
        error={err.description}
        name="description"
        defaultValue={rule?.description}
        placeholder="Why this rule exists"
      />
      {state.message && !state.ok ? (
        <p role="alert" className="text-sm text-rose-600">
          {state.message}
        </p>
      ) : null}
      {state.ok && state.message && !onDone ? (
        <p role="status" className="text-sm text-emerald-700">
          {state.message}
        </p>
      ) : null}
      {replay.summary}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
        {replay.button}
        {onCancel ? (
          <Button type="button" variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}
