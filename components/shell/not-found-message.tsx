import { FileQuestion } from "lucide-react";
import { ButtonLink } from "@/components/ui/button";

export function NotFoundMessage({ home = "/agents" }: { home?: string }) {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <FileQuestion className="mx-auto size-8 text-slate-400" aria-hidden />
      <p className="mt-3 text-sm font-semibold text-indigo-600">404</p>
      <h1 className="mt-1 text-lg font-semibold text-slate-900">Not found</h1>
      <p className="mt-1 text-sm text-slate-600">
        It does not exist, or you are not allowed to see it. Check the address, or start again from the agent registry.
      </p>
      <div className="mt-5 flex flex-wrap justify-center gap-2">
        <ButtonLink href={home}>Back to agents</ButtonLink>
        <ButtonLink href="/spend" variant="secondary">
          Spend
        </ButtonLink>
      </div>
    </div>
  );
}
