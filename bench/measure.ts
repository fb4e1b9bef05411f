/**
 * How the benchmarks measure: a uniformly paced open-loop generator for latency (each request is sent at its
 * scheduled time whether or not earlier ones have answered, and its latency counts from that time, so a stall is
 * charged to every request it delays), samples repeated and summarised as a median with its spread, and ratios
 * against a limit measured in the same run.
 */
export type Latencies = { p50: number; p99: number; errors: number; sent: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends `rate` requests per second for `seconds`, uniformly paced; returns p50 and p99 in ms and the failures. */
export async function openLoop(rate: number, seconds: number, send: () => Promise<boolean>): Promise<Latencies> {
  const n = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const t0 = performance.now() + 20;
  const latencies: number[] = [];
  let errors = 0;
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 0.5) await sleep(wait);
    // Counted from the scheduled time (a late send is charged its delay), or from the send itself when the timer let
    // it go a fraction of a millisecond early.
    const from = Math.min(due, performance.now());
    inflight.push(
      send().then(
        (ok) => {
          if (ok) latencies.push(performance.now() - from);
          else errors++;
        },
        () => {
          errors++;
        },
      ),
    );
  }
  await Promise.all(inflight);
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), errors, sent: n };
}

/** Runs `fn` `n` times (one sample each) and returns the samples. */
export async function samples<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await fn(i));
  return out;
}

export type Summary = { median: number; min: number; max: number; n: number };
export function summarise(xs: number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

const fmt = (x: number, digits: number) =>
  x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** "12.3 (11.9–13.0)" — the median and the spread of the samples. */
export function show(s: Summary, digits = 1, unit = ""): string {
  return `${fmt(s.median, digits)}${unit} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

/** A table row: what, ours, the limit measured in the same run, and ours as a ratio of it. */
export function row(path: string, ours: string, limitName: string, limit: string, ratio: string): string {
  return `| ${path} | ${ours} | ${limitName}: ${limit} | ${ratio} |`;
}

export const ratio = (ours: number, limit: number, suffix = "×") => `${(ours / limit).toFixed(2)}${suffix}`;

type Percentiles = { p50: Summary; p99: Summary };
/** "p50 / p99" of a latency, in ms. */
export const pair = (s: Percentiles) => `${show(s.p50, 2, " ms")} / ${show(s.p99, 2, " ms")}`;
/** A row of p50 / p99 latencies: ours beside the limit's, with both ratios. */
export const pairRow = (path: string, ours: Percentiles, limitName: string, limit: Percentiles) =>
  row(
    path,
    pair(ours),
    limitName,
    pair(limit),
    `${ratio(ours.p50.median, limit.p50.median)} / ${ratio(ours.p99.median, limit.p99.median)}`,
  );
export const percent = (ours: number, limit: number) => `${Math.round((100 * ours) / limit)} %`;
