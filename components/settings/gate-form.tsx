"use client";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

/**
 * The eval suites one environment requires, as a comma-separated list with each one's minimum score if it has one
 * (`safety ≥ 0.9`), and the most their runs may cost per passed case.
 */
export function GateForm({
  action,
  environment,
  suites,
  maxCostPerPassedCaseUsd,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  environment: string;
  /** As suitesText writes them: `safety ≥ 0.9, regression`. */
  suites: string;
  maxCostPerPassedCaseUsd: number | null;
}) {
  const [state, onSubmit, pending] = useFormAction(action);
  const error = Object.entries(state.fieldErrors ?? {}).flatMap(([, v]) => v)[0];
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-x-3 gap-y-2">
      {/* Each label above its field (as the console's other forms), the suites field widest: it holds a list. */}
      <div className="flex w-full flex-col gap-1 sm:w-80">
        <label htmlFor={`gates-${environment}`} className="text-xs font-medium text-slate-600">
          Required eval suites (≥ minimum score)
        </label>
        <Input
          id={`gates-${environment}`}
          name="suites"
          defaultValue={suites}
          placeholder="none, e.g. safety ≥ 0.9, regression"
          className="w-full py-1 text-xs"
          aria-invalid={!!(state.fieldErrors?.suites || state.fieldErrors?.minScores)}
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={`gate-cost-${environment}`} className="text-xs font-medium text-slate-600">
          Max $ per passed case
        </label>
        <Input
          id={`gate-cost-${environment}`}
          name="maxCostPerPassedCaseUsd"
          type="number"
          inputMode="decimal"
          min="0.000001"
          step="any"
          defaultValue={maxCostPerPassedCaseUsd ?? ""}
          placeholder="no limit"
          className="w-32 py-1 text-xs"
          aria-invalid={!!state.fieldErrors?.maxCostPerPassedCaseUsd}
        />
      </div>
      <Button type="submit" variant="secondary" disabled={pending} aria-label={`Save ${environment} gates`}>
        Save
      </Button>
      {error || (!state.ok && state.message) ? (
        <span className="w-full text-xs text-rose-600 sm:w-auto sm:self-center">{error ?? state.message}</span>
      ) : state.message ? (
        <span className="w-full text-xs text-emerald-700 sm:w-auto sm:self-center">{state.message}</span>
      ) : null}
    </form>
  );
}
