import { money, moneyExact } from "@/components/format";

/** A USD amount in the console's one format, with the exact value on hover. Give `usd` or integer `micros`. */
export function Money({
  usd,
  micros,
  className,
}: {
  usd?: number | null;
  micros?: bigint | number | null;
  className?: string;
}) {
  const v = micros !== undefined && micros !== null ? Number(micros) / 1e6 : usd;
  if (v === null || v === undefined) return <span className={className}>—</span>;
  return (
    <span className={className} title={moneyExact(v)}>
      {money(v)}
    </span>
  );
}
