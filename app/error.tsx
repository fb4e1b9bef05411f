"use client";

import { Button, ButtonLink } from "@/components/ui/button";

/** A failure above the console layout (the session or the database): a plain page that says what to do. */
export default function RootError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main
      id="content"
      role="alert"
      className="mx-auto flex min-h-screen max-w-lg flex-col justify-center px-4 text-center"
    >
      <h1 className="text-lg font-semibold text-slate-900">The console could not load</h1>
      <p className="mt-1 text-sm text-slate-600">
        Nothing was changed. Try again in a moment; if it keeps failing, send the reference below to your administrator.
      </p>
      {error.digest ? (
        <p className="mt-2 text-xs text-slate-600">
          Reference <code className="font-mono">{error.digest}</code>
        </p>
      ) : null}
      <div className="mt-5 flex flex-wrap justify-center gap-2">
        <Button type="button" onClick={() => reset()}>
          Try again
        </Button>
        <ButtonLink href="/agents" variant="secondary">
          Back to agents
        </ButtonLink>
      </div>
    </main>
  );
}
