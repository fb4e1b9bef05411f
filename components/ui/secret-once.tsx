"use client";

import { useRef } from "react";
import type { SecretState } from "@/lib/http/action-result";
import { CopyButton } from "./copy-button";

/** A freshly issued secret, shown once with a Copy button, or the error of the attempt. */
export function SecretOnce({ state, title, testId }: { state: SecretState; title: string; testId: string }) {
  const code = useRef<HTMLElement>(null);
  const token = state.data?.token;
  if (token) {
    return (
      <div className="rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-200">
        <p role="status" className="font-medium text-amber-900">
          {title} Copy it now: it will not be shown again.
        </p>
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <code ref={code} className="min-w-0 flex-1 break-all font-mono text-xs text-slate-900" data-testid={testId}>
            {token}
          </code>
          <CopyButton text={token} target={code} />
        </div>
      </div>
    );
  }
  return !state.ok && state.message ? (
    <p role="alert" className="text-sm text-rose-600">
      {state.message}
    </p>
  ) : null;
}
