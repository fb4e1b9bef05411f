import type { SecretState } from "@/lib/http/action-result";

/** A freshly issued secret, shown once, or the error of the attempt. */
export function SecretOnce({ state, title, testId }: { state: SecretState; title: string; testId: string }) {
  const token = state.data?.token;
  if (token) {
    return (
      <div role="status" className="rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-200">
        <p className="font-medium text-amber-900">{title} Copy it now: it will not be shown again.</p>
        <code className="mt-1 block break-all font-mono text-xs text-slate-900" data-testid={testId}>
          {token}
        </code>
      </div>
    );
  }
  return !state.ok && state.message ? <p className="text-sm text-rose-600">{state.message}</p> : null;
}
