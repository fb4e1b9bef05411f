import { percentUsed } from "@/components/format";
import { cn } from "@/components/ui/cn";
import { Money } from "@/components/ui/money";

/** Spent (solid) and reserved (striped) against the limit, with threshold ticks. */
export function UsageBar({
  spent,
  reserved,
  limit,
  thresholds,
  className,
}: {
  spent: bigint;
  reserved: bigint;
  limit: bigint;
  thresholds: number[];
  className?: string;
}) {
  const pct = (v: bigint) => Math.min(100, Number((v * 10_000n) / (limit || 1n)) / 100);
  const used = pct(spent);
  const held = Math.min(100 - used, pct(reserved));
  const exact = Number((spent * 10_000n) / (limit || 1n)) / 100;
  const tone = exact >= 100 ? "bg-rose-500" : exact >= (thresholds.at(-2) ?? 80) ? "bg-amber-500" : "bg-indigo-500";
  return (
    <div className={cn("min-w-40", className)}>
      <div
        className="relative h-2 overflow-hidden rounded-full bg-slate-100"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(exact)}
        aria-label={`${percentUsed(exact)} of the limit spent`}
      >
        <div className={cn("absolute inset-y-0 left-0", tone)} style={{ width: `${used}%` }} />
        <div
          className="absolute inset-y-0 bg-[repeating-linear-gradient(45deg,theme(colors.slate.400)_0_3px,transparent_3px_6px)]"
          style={{ left: `${used}%`, width: `${held}%` }}
        />
        {thresholds
          .filter((t) => t < 100)
          .map((t) => (
            <div key={t} className="absolute inset-y-0 w-px bg-slate-400/70" style={{ left: `${t}%` }} />
          ))}
      </div>
      <p className="mt-1 flex justify-between text-xs tabular-nums text-slate-500">
        <span>
          <span className={cn("font-medium", exact >= 100 ? "text-rose-700" : "text-slate-800")}>
            <Money micros={spent} />
          </span>{" "}
          of <Money micros={limit} />
        </span>
        <span>{percentUsed(exact)}</span>
      </p>
    </div>
  );
}
