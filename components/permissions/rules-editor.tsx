"use client";

import { ArrowDown, ArrowUp, Pencil, Trash2 } from "lucide-react";
import { Fragment, useCallback, useState } from "react";
import { money } from "@/components/format";
import { ActionButton } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Select } from "@/components/ui/field";
import { Table, Td, Th, WIDE } from "@/components/ui/table";
import { useFormAction } from "@/components/ui/use-form-action";
import { microsToUsd } from "@/lib/domain/money";
import type { ActionState, ReplayState } from "@/lib/http/action-result";
import { Outcome } from "./replay-summary";
import { RuleForm, type RuleView } from "./rule-form";

type Act = (prev: ActionState, form: FormData) => Promise<ActionState>;
type Preview = (prev: ReplayState, form: FormData) => Promise<ReplayState>;

/** Server actions, bound on the server (a client component cannot receive a function that makes them). */
export type RuleActions = {
  add: Act;
  preview: Preview;
  applyTemplate: Act;
  perRule: Record<string, { update: Act; preview: Preview; remove: Act; promote: Act; up: Act; down: Act }>;
};

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

export function describeConditions(r: RuleView): string {
  const parts: string[] = [];
  if (r.maxCostUsd != null) parts.push(`≤ ${money(r.maxCostUsd)} per call`);
  if (r.allowedHours) {
    const days = r.allowedHours.days?.length ? ` ${r.allowedHours.days.map((d) => DAYS[d]).join(",")}` : "";
    parts.push(`${r.allowedHours.from}–${r.allowedHours.to} ${r.allowedHours.timeZone ?? "UTC"}${days}`);
  }
  if (r.toolAnnotation) parts.push(`${r.toolAnnotation.replace("_", "-")} tools only`);
  if (r.classification) parts.push(`${r.classification} resources only`);
  if (r.requiresApproval) parts.push(`requires approval (expires after ${r.approvalTimeoutMinutes} min)`);
  return parts.join(" · ") || "—";
}

function Effect({ r }: { r: Pick<RuleView, "effect" | "mode"> }) {
  return (
    <>
      <Badge tone={r.effect === "deny" ? "red" : "green"}>{r.effect}</Badge>
      {r.mode === "shadow" ? (
        <Badge tone="amber" className="ml-1">
          shadow
        </Badge>
      ) : null}
    </>
  );
}

/**
 * The Permissions tab's rule list. Admins (when `actions` is given) add, edit, reorder, delete and apply templates;
 * everyone else reads. Order matters only for which rule a decision names: any matching deny wins.
 */
export function RulesEditor({
  rules,
  actions,
  templates,
}: {
  rules: RuleView[];
  actions?: RuleActions;
  templates: { id: string; name: string; description: string }[];
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [addKey, setAddKey] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const closeEditor = useCallback(() => {
    setEditing(null);
    setNotice("Rule saved.");
  }, []);
  const added = useCallback(() => {
    setAddKey((k) => k + 1);
    setNotice("Rule added at the end of the list.");
  }, []);

  return (
    <div className="space-y-4">
      <Card>
        <CardHeader
          title="Permission rules"
          description="Default deny: an action is allowed only if an allow rule matches and no deny rule does. Deny always wins; the order decides which rule a decision names."
          actions={actions ? <TemplatePicker action={actions.applyTemplate} templates={templates} /> : null}
        />
        {notice ? (
          <p role="status" className="border-b border-slate-100 bg-emerald-50 px-4 py-2 text-sm text-emerald-800">
            {notice}
          </p>
        ) : null}
        {rules.length === 0 ? (
          <EmptyState title="No rules: this agent is denied everything.">
            {actions
              ? "Add allow rules below for the actions it needs, or start from a template."
              : "An admin adds rules."}
          </EmptyState>
        ) : (
          <Table>
            <thead className="bg-slate-50">
              <tr>
                <Th className={WIDE}>#</Th>
                <Th className={WIDE}>Effect</Th>
                <Th className={WIDE}>Action</Th>
                <Th>
                  <span className="sm:hidden">Rule</span>
                  <span className="hidden sm:inline">Resource</span>
                </Th>
                <Th className={WIDE}>Conditions</Th>
                <Th className={WIDE}>Description</Th>
                {actions ? <Th className="text-right">Manage</Th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100" data-testid="rule-rows">
              {rules.map((r, i) => (
                <Fragment key={r.id}>
                  <tr data-rule-id={r.id} className={r.mode === "shadow" ? "bg-amber-50/40" : undefined}>
                    <Td className={cn(WIDE, "tabular-nums text-slate-500")}>{r.position}</Td>
                    <Td className={WIDE}>
                      <Effect r={r} />
                    </Td>
                    <Td className={cn(WIDE, "font-mono text-xs")}>{r.action}</Td>
                    <Td className="whitespace-normal font-mono text-xs [overflow-wrap:anywhere] sm:whitespace-nowrap">
                      {/* On a phone the rule reads as one cell: effect, #, action, resource, conditions, description. */}
                      <span className="mb-1 block sm:hidden">
                        <Effect r={r} />
                      </span>
                      <span className="text-slate-500 sm:hidden">
                        #{r.position} {r.action} on{" "}
                      </span>
                      {r.resource}
                      <span className="mt-1 block font-sans text-slate-600 sm:hidden">
                        {[describeConditions(r), r.description].filter((t) => t && t !== "—").join(" · ")}
                      </span>
                    </Td>
                    <Td className={cn(WIDE, "text-xs text-slate-600")}>{describeConditions(r)}</Td>
                    <Td className={cn(WIDE, "max-w-56 truncate text-slate-500")}>{r.description || "—"}</Td>
                    {actions ? (
                      <Td className="whitespace-nowrap text-right">
                        <ActionButton
                          action={actions.perRule[r.id].up}
                          label={`Move rule ${r.position} up`}
                          className={cn("px-1.5", i === 0 && "invisible")}
                        >
                          <ArrowUp className="size-4" />
                        </ActionButton>
                        <ActionButton
                          action={actions.perRule[r.id].down}
                          label={`Move rule ${r.position} down`}
                          className={cn("px-1.5", i === rules.length - 1 && "invisible")}
                        >
                          <ArrowDown className="size-4" />
                        </ActionButton>
                        <Button
                          variant="ghost"
                          className="px-1.5"
                          aria-label={`Edit rule ${r.position}`}
                          title="Edit"
                          onClick={() => setEditing(editing === r.id ? null : r.id)}
                        >
                          <Pencil className="size-4" />
                        </Button>
                        <ActionButton
                          action={actions.perRule[r.id].remove}
                          label={`Delete rule ${r.position}`}
                          confirm={[
                            `Delete rule #${r.position} (${r.effect} ${r.action} on ${r.resource})?`,
                            r.mode === "shadow"
                              ? "It is in shadow: runtime decisions do not change."
                              : "Runtime decisions change at once.",
                          ]}
                          className="px-1.5 text-rose-600 hover:bg-rose-50"
                        >
                          <Trash2 className="size-4" />
                        </ActionButton>
                      </Td>
                    ) : null}
                  </tr>
                  {r.mode === "shadow" ? (
                    <tr data-testid={`shadow-${r.position}`}>
                      <td colSpan={7} className="border-l-4 border-amber-300 bg-amber-50/40 px-4 py-2">
                        {/* On a phone the table scrolls sideways: the figures stay in view, at the screen's width. */}
                        <div className="sticky left-4 max-w-[calc(100vw-4.5rem)] sm:max-w-none">
                          <ShadowFigures rule={r} actions={actions?.perRule[r.id]} />
                        </div>
                      </td>
                    </tr>
                  ) : null}
                  {actions && editing === r.id ? (
                    <tr>
                      <td colSpan={7} className="bg-slate-50 px-4 py-4">
                        <RuleForm
                          action={actions.perRule[r.id].update}
                          preview={actions.perRule[r.id].preview}
                          rule={r}
                          idPrefix={`edit-${r.id}`}
                          submitLabel={`Save rule ${r.position}`}
                          onDone={closeEditor}
                          onCancel={() => setEditing(null)}
                        />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      {actions ? (
        <Card>
          <CardHeader
            title="Add a rule"
            description="New rules go to the end of the list; move them with the arrows."
          />
          <div className="p-4">
            <RuleForm
              key={addKey}
              action={actions.add}
              preview={actions.preview}
              idPrefix="new-rule"
              submitLabel="Add rule"
              onDone={added}
            />
          </div>
        </Card>
      ) : null}
    </div>
  );
}

function TemplatePicker({
  action,
  templates,
}: {
  action: Act;
  templates: { id: string; name: string; description: string }[];
}) {
  const [state, onSubmit, pending, dialog] = useFormAction(action, {
    confirm: {
      title: "Append this template's rules to the end of the list?",
      details: "Runtime decisions change at once.",
      confirmLabel: "Apply template",
      tone: "primary",
    },
  });
  const [chosen, setChosen] = useState(templates[0]?.id ?? "");
  return (
    <form onSubmit={onSubmit} className="flex min-w-0 max-w-sm flex-col items-end gap-1">
      <div className="flex min-w-0 max-w-full items-center gap-2">
        <label htmlFor="rule-template" className="text-xs text-slate-500">
          Template
        </label>
        <Select
          id="rule-template"
          name="template"
          value={chosen}
          onChange={(e) => setChosen(e.target.value)}
          className="w-auto min-w-0 py-1 text-xs"
        >
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </Select>
        <Button type="submit" variant="secondary" disabled={pending}>
          Apply
        </Button>
      </div>
      {dialog}
      <p className="text-right text-xs text-slate-500">{templates.find((t) => t.id === chosen)?.description}</p>
      {state.message ? (
        <p
          role={state.ok ? "status" : "alert"}
          className={state.ok ? "text-xs text-emerald-700" : "text-xs text-rose-600"}
        >
          {state.message}
        </p>
      ) : null}
    </form>
  );
}

/** A shadow rule's would-be effect over the last 7 days, with Promote and Drop for admins. */
function ShadowFigures({ rule, actions }: { rule: RuleView; actions?: { promote: Act; remove: Act } }) {
  const f = rule.shadow;
  return (
    <div className="flex flex-wrap items-start gap-x-4 gap-y-2 text-sm">
      <div className="min-w-0 flex-1 basis-72 space-y-1">
        <p className="text-slate-800">
          <span className="font-medium">Shadow, not enforced.</span>{" "}
          {!f || f.matched === 0 ? (
            "No recorded call matched it in the last 7 days."
          ) : (
            <>
              {f.from > new Date(Date.parse(f.to) - 7 * 86_400_000 + 60_000).toISOString()
                ? `Since it was added or last changed (${f.from.slice(0, 16).replace("T", " ")} UTC)`
                : "Last 7 days"}
              : judged {f.matched.toLocaleString("en-US")} call{f.matched === 1 ? "" : "s"};{" "}
              {f.changed === 0 ? (
                "enforcing it would have changed none."
              ) : (
                <strong>
                  enforcing it would have changed {f.changed.toLocaleString("en-US")} (
                  {money(microsToUsd(f.changedUsageMicros))} of usage behind them).
                </strong>
              )}
            </>
          )}
        </p>
        {f?.transitions.length ? (
          <ul className="flex flex-wrap gap-2">
            {f.transitions.map((t) => (
              <li
                key={`${t.from}-${t.to}`}
                className="flex items-center gap-1 rounded bg-white px-2 py-0.5 text-xs ring-1 ring-slate-200"
              >
                <Outcome o={t.from} /> → <Outcome o={t.to} />
                <span className="tabular-nums">{t.calls.toLocaleString("en-US")}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {f?.examples.length ? (
          <details className="text-xs text-slate-600">
            <summary className="cursor-pointer select-none">Latest calls it would have changed</summary>
            <ul className="mt-1 space-y-0.5">
              {f.examples.map((e) => (
                <li key={e.decisionId} className="flex flex-wrap gap-x-2">
                  <time dateTime={e.at} className="tabular-nums text-slate-500">
                    {e.at.slice(0, 16).replace("T", " ")} UTC
                  </time>
                  <code className="break-all">
                    {e.action} {e.resource}
                  </code>
                  <span>
                    {e.from} → {e.to}
                  </span>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>
      {actions ? (
        <div className="flex gap-2">
          <ActionButton
            action={actions.promote}
            label={`Promote rule ${rule.position}`}
            variant="secondary"
            confirm={{
              title: `Enforce rule #${rule.position} from now on?`,
              details: f?.changed
                ? `Over the last 7 days it would have changed ${f.changed} call${f.changed === 1 ? "" : "s"}. Runtime decisions change at once.`
                : "Runtime decisions change at once.",
              confirmLabel: "Promote",
              tone: "primary",
            }}
          >
            Promote
          </ActionButton>
          <ActionButton
            action={actions.remove}
            label={`Drop rule ${rule.position}`}
            confirm={[
              `Drop shadow rule #${rule.position} (${rule.effect} ${rule.action} on ${rule.resource})?`,
              "Its figures go with it; runtime decisions do not change.",
            ]}
            variant="destructive"
          >
            Drop
          </ActionButton>
        </div>
      ) : null}
    </div>
  );
}
