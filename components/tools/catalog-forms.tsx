"use client";

import { Button } from "@/components/ui/button";
import { Field, Input, Textarea } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

/** Register an MCP server: a name (its tools become mcp:<name>/<tool>) and, to import over MCP, its URL. */
export function RegisterServerForm({ action }: { action: Action }) {
  const [state, onSubmit, pending] = useFormAction(action, { resetOnSuccess: true });
  const err = state.fieldErrors ?? {};
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-start gap-3 p-4" aria-label="Register MCP server">
      <div className="w-full sm:w-48">
        <Field label="Name" htmlFor="mcp-name" error={err.name} hint="tools become mcp:<name>/<tool>">
          <Input id="mcp-name" name="name" placeholder="github" required className="font-mono" />
        </Field>
      </div>
      <div className="min-w-0 flex-1 basis-64">
        <Field
          label="Streamable HTTP URL (optional)"
          htmlFor="mcp-url"
          error={err.url}
          hint="leave empty to upload a tools/list result"
        >
          <Input id="mcp-url" name="url" type="url" placeholder="https://mcp.example.com/mcp" />
        </Field>
      </div>
      <div className="min-w-0 flex-1 basis-64">
        <Field label="Description" htmlFor="mcp-description" error={err.description}>
          <Input id="mcp-description" name="description" placeholder="What the server gives agents" />
        </Field>
      </div>
      <Button type="submit" disabled={pending} className="sm:mt-6">
        {pending ? "Registering…" : "Register server"}
      </Button>
      <FormMessage state={state} className="basis-full" />
    </form>
  );
}

/** Import a server's tools: over MCP from its URL, or from a pasted tools/list result. */
export function ImportToolsForm({ action, server, hasUrl }: { action: Action; server: string; hasUrl: boolean }) {
  const [state, onSubmit, pending] = useFormAction(action);
  const id = `upload-${server}`;
  return (
    <form onSubmit={onSubmit} className="space-y-2" aria-label={`Import tools of ${server}`}>
      <div className="flex flex-wrap items-center gap-2">
        {hasUrl ? (
          <Button type="submit" name="source" value="connect" disabled={pending}>
            {pending ? "Importing…" : "Import over MCP"}
          </Button>
        ) : null}
        <details className="text-sm">
          <summary className="cursor-pointer select-none text-indigo-700">Upload a tools/list result</summary>
          <div className="mt-2 space-y-2">
            <Field label="tools/list result (JSON)" htmlFor={id} error={state.fieldErrors?.upload}>
              <Textarea id={id} name="upload" rows={6} className="font-mono text-xs" placeholder='{"tools": [...]}' />
            </Field>
            <Button type="submit" name="source" value="upload" variant="secondary" disabled={pending}>
              Import the upload
            </Button>
          </div>
        </details>
      </div>
      <FormMessage state={state} />
    </form>
  );
}
