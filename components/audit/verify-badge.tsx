"use client";

import { useQuery } from "@tanstack/react-query";
import { ShieldAlert, ShieldCheck } from "lucide-react";
import { fetchJson } from "@/components/fetch-json";

type Report = {
  intact: boolean;
  checked: number;
  headPosition: string;
  break: { position: string; reason: string } | null;
};

/** Asks the server to walk the hash chain and shows the verdict. */
export function VerifyBadge() {
  const { data, isPending, isError, refetch, isFetching } = useQuery({
    queryKey: ["audit-verify"],
    queryFn: () => fetchJson<Report>("/api/v1/audit/verify"),
  });
  return (
    <div className="flex items-center gap-2 text-sm" data-testid="verify-badge" aria-live="polite">
      {isPending ? (
        <span className="text-slate-500">Verifying chain…</span>
      ) : isError ? (
        <span className="text-rose-600">Could not verify the chain.</span>
      ) : data.intact ? (
        <span className="inline-flex items-center gap-1.5 rounded-full bg-emerald-50 px-2.5 py-1 font-medium text-emerald-700 ring-1 ring-emerald-200">
          <ShieldCheck className="size-4" aria-hidden /> Chain intact · {data.checked.toLocaleString("en-US")} events
        </span>
      ) : (
        <span className="inline-flex items-center gap-1.5 rounded-full bg-rose-50 px-2.5 py-1 font-medium text-rose-700 ring-1 ring-rose-200">
          <ShieldAlert className="size-4" aria-hidden /> Chain broken at position {data.break?.position} (
          {data.break?.reason.replace("_", " ")})
        </span>
      )}
      <button
        type="button"
        onClick={() => refetch()}
        disabled={isFetching}
        className="text-xs text-slate-500 hover:text-slate-900 disabled:opacity-50"
      >
        {isFetching ? "checking…" : "re-check"}
      </button>
    </div>
  );
}
