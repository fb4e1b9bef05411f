"use client";

import { TriangleAlert } from "lucide-react";
import { usePathname } from "next/navigation";
import { useEffect } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { sectionOf } from "./sections";

/**
 * What a console page shows when it fails to render: the shell stays, the message says what to do (try again, go back
 * to the section), and the digest lets an operator find the server log line.
 */
export function SectionError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const section = sectionOf(usePathname());
  useEffect(() => {
    console.warn("page failed to render", error.digest ?? error.message);
  }, [error]);
  return (
    <div role="alert" className="mx-auto max-w-lg py-16 text-center">
      <TriangleAlert className="mx-auto size-8 text-amber-500" aria-hidden />
      <h1 className="mt-3 text-lg font-semibold text-slate-900">This page could not be shown</h1>
      <p className="mt-1 text-sm text-slate-600">
        Something went wrong while loading it. Nothing was changed. Try again; if it keeps failing, go back to{" "}
        {section.label} and start over, or send the reference below to your administrator.
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
        <ButtonLink href={section.href} variant="secondary">
          Back to {section.label}
        </ButtonLink>
      </div>
    </div>
  );
}
