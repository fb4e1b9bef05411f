"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Textarea } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

/** Import (or replace) an A2A v1.0 Agent Card: paste its JSON or pick the file; the server's findings are listed. */
export function AgentCardForm({
  action,
  replacing,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  replacing: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [state, onSubmit, pending] = useFormAction(action, {
    validate: (form) => (String(form.get("card") ?? "").trim() ? null : { card: ["paste the card's JSON"] }),
  });
  if (!open)
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        {replacing ? "Replace the card" : "Import a card"}
      </Button>
    );
  const findings = Object.entries(state.fieldErrors ?? {}).filter(([k]) => k !== "card");
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label="Import an A2A agent card" noValidate>
      <Field
        label="A2A v1.0 Agent Card (JSON)"
        htmlFor="agent-card-json"
        error={state.fieldErrors?.card}
        hint="Paste the card (what the agent serves at /.well-known/agent-card.json), or pick the file."
      >
        <Textarea
          id="agent-card-json"
          name="card"
          rows={8}
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="font-mono text-xs"
          spellCheck={false}
          autoFocus
          required
        />
      </Field>
      <div className="flex flex-wrap items-center gap-2">
        <label className="text-sm text-slate-700">
          <span className="sr-only">Card file</span>
          <input
            type="file"
            accept="application/json,.json"
            className="text-xs file:mr-2 file:rounded-md file:border-0 file:bg-slate-100 file:px-2.5 file:py-1.5 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-200"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (file) setText(await file.text());
            }}
          />
        </label>
        <Button type="submit" disabled={pending} className="ml-auto">
          {pending ? "Importing…" : replacing ? "Replace the card" : "Import the card"}
        </Button>
        <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
      <FormMessage state={state} />
      {findings.length ? (
        <ul className="list-disc space-y-0.5 pl-5 text-xs text-rose-700" aria-label="What the card is missing">
          {findings.map(([field, messages]) => (
            <li key={field}>
              <code>{field.replace(/^agentCard\.?/, "") || "card"}</code>: {messages.join("; ")}
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
