"use client";

import { useState } from "react";
import { dateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Field, Input, TextField } from "@/components/ui/field";
import { Money } from "@/components/ui/money";
import { useFormAction } from "@/components/ui/use-form-action";
import type { SimulateState } from "@/lib/http/action-result";
import type { RuleView } from "./rule-form";

const decisionTone = { allow: "green", deny: "red", degrade: "amber", pending: "violet" } as const;

/** "What would the runtime be told?" Same evaluator as POST /runtime/authorize; writes nothing. */
export function Simulator({
  action,
  rules,
  timeZone,
}: {
  action: (prev: SimulateState, form: FormData) => Promise<SimulateState>;
  rules: RuleView[];
  timeZone: string;
}) {
  const [state, onSubmit, pending] = useFormAction(action);
  const [local, setLocal] = useState("");
  const err = state.fieldErrors ?? {};
  const r = state.data;
  const byId = new Map(rules.map((x) => [x.id, x]));
  return (
    <Card>
      <CardHeader
        title="Decision simulator"
        description="Try a request: see the decision the runtime would get, what decided it and why the other rules did not match. Nothing is reserved or recorded."
      />
      <form
        onSubmit={onSubmit}
        className="grid gap-3 p-4 sm:grid-cols-[1fr_1.5fr_9rem_13rem_auto] sm:items-end"
        aria-label="Simulate a decision"
      >
        <TextField
          label="Action"
          id="sim-action"
          error={err.action}
          name="action"
          placeholder="tool:invoke"
          required
          className="font-mono"
        />
        <TextField
          label="Resource"
          id="sim-resource"
          error={err.resource}
          name="resource"
          placeholder="github.create_issue"
          required
          className="font-mono"
        />
        <TextField
          label="Est. cost (USD)"
          id="sim-cost"
          error={err.estimatedCostUsd}
          name="estimatedCostUsd"
          type="number"
          min="0"
          step="0.0001"
          placeholder="none"
        />
        <Field label="At (your local time)" htmlFor="sim-at" error={err.at}>
          <Input id="sim-at" type="datetime-local" value={local} onChange={(e) => setLocal(e.target.value)} />
        </Field>
        {/* The server reads an absolute instant; empty means now. */}
        <input type="hidden" name="at" value={local ? new Date(local).toISOString() : ""} />
        <Button type="submit" disabled={pending}>
          {pending ? "Checking…" : "Simulate"}
        </Button>
      </form>
      {!state.ok && state.message ? (
        <p role="alert" className="px-4 pb-4 text-sm text-rose-600">
          {state.message}
        </p>
      ) : null}
      {r ? (
        <div className="space-y-4 border-t border-slate-100 p-4" data-testid="simulation-result">
          <div className="flex flex-wrap items-center gap-3">
            <Badge tone={decisionTone[r.decision]} className="px-3 py-1 text-sm uppercase">
              {r.decision}
            </Badge>
            <span className="font-mono text-xs text-slate-500">{r.code}</span>
            {r.model ? <span className="text-sm text-slate-600">model {r.model}</span> : null}
            <span className="ml-auto text-xs text-slate-500">evaluated at {dateTime(r.at, timeZone)}</span>
          </div>
          <p className="text-sm font-medium text-slate-900" data-testid="simulation-reason">
            {r.reason}
          </p>
          <div>
            <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Rules</h3>
            {r.rules.length === 0 ? <p className="text-sm text-slate-500">No rules: default deny.</p> : null}
            <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
              {r.rules.map((t) => {
                const rule = byId.get(t.ruleId);
                const decided = t.ruleId === r.ruleId;
                return (
                  <li
                    key={t.ruleId}
                    className={cn("flex flex-wrap items-center gap-2 px-3 py-2 text-sm", decided && "bg-indigo-50")}
                    data-decided={decided || undefined}
                  >
                    <span className="w-6 tabular-nums text-slate-500">#{t.position}</span>
                    <Badge tone={t.effect === "deny" ? "red" : "green"}>{t.effect}</Badge>
                    <span className="font-mono text-xs">
                      {rule?.action} on {rule?.resource}
                    </span>
                    <span className={cn("text-xs", t.matched ? "font-medium text-slate-900" : "text-slate-500")}>
                      {t.matched ? "✓ matches" : "✗"} — {t.why}
                    </span>
                    {decided ? (
                      <Badge tone="violet" className="ml-auto">
                        decided
                      </Badge>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </div>
          {r.budgets.length ? (
            <div>
              <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Budgets</h3>
              <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
                {r.budgets.map((b) => (
                  <li
                    key={b.budgetId}
                    className={cn(
                      "flex flex-wrap items-center gap-2 px-3 py-2 text-sm",
                      b.budgetId === r.budgetId && "bg-indigo-50",
                    )}
                  >
                    <span className="font-medium">{b.name}</span>
                    <span className="text-xs text-slate-500">
                      {b.scope} · {b.period} · {b.hardAction} when exhausted
                    </span>
                    <span className="text-xs tabular-nums text-slate-600">
                      <Money micros={b.spentMicros} /> spent + <Money micros={b.reservedMicros} /> reserved of{" "}
                      <Money micros={b.limitMicros} />
                    </span>
                    <Badge
                      tone={
                        b.verdict === "admits"
                          ? "green"
                          : b.verdict === "not checked"
                            ? "gray"
                            : b.verdict === "exhausted"
                              ? "red"
                              : "amber"
                      }
                      className="ml-auto"
                    >
                      {b.verdict}
                    </Badge>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
