import { type Exclusion, exclusionWhy, type NearMiss, noAllowReason } from "./explain";

/**
 * The permission evaluator: pure, shared by the runtime API and the console's simulator.
 * Default deny; a matching deny beats any allow; conditions narrow when an allow rule applies.
 */
export type RuleLike = {
  id: string;
  position: number;
  effect: "allow" | "deny";
  action: string;
  resource: string;
  maxCostMicros: bigint | null;
  allowedHours: unknown;
  requiresApproval: boolean;
  /** Matches only catalogued MCP tools with this annotation (TOOL_ANNOTATIONS). */
  toolAnnotation?: string | null;
  /** Matches only resources the catalogue classifies so (public, internal, confidential, personal). */
  classification?: string | null;
  /** A shadow rule is never enforced: the evaluator skips it (see shadowVerdicts). Default: enforce. */
  mode?: "enforce" | "shadow";
};

/** A catalogued MCP tool's annotations as rules read them (destructive and idempotent only when not read-only). */
export type ToolHints = { read_only: boolean; destructive: boolean; idempotent: boolean; open_world: boolean };

export type EvalRequest = {
  action: string;
  resource: string;
  estimatedMicros?: bigint | null;
  at: Date;
  /** The catalogued tool the resource names, if any. */
  tool?: ToolHints | null;
  /** The most sensitive classification of the catalogue entries the resource falls under (null: not catalogued). */
  classification?: string | null;
  /** Every classification of those entries (default: the most sensitive one alone). */
  classifications?: readonly string[];
};

/**
 * Whether a rule naming a classification applies to the call: a deny rule when any catalogue entry the resource falls
 * under has it (adding a more sensitive overlapping entry never lifts a deny), an allow rule only when it is the most
 * sensitive one (an allow for internal data does not open what is also personal data).
 */
function classMatches(r: RuleLike, req: EvalRequest): boolean {
  if (!r.classification) return true;
  if (r.effect === "allow") return req.classification === r.classification;
  const all = req.classifications ?? (req.classification ? [req.classification] : []);
  return all.includes(r.classification);
}

export type RuleTrace = { ruleId: string; position: number; effect: "allow" | "deny"; matched: boolean; why: string };

export type PermissionVerdict =
  | { outcome: "allow"; ruleId: string; reason: string; trace: RuleTrace[] }
  | {
      outcome: "deny";
      code: "rule_denied" | "no_matching_rule" | "approval_required";
      ruleId: string | null;
      reason: string;
      trace: RuleTrace[];
    };

/**
 * Glob patterns: `*` matches any run of characters (including none, line breaks too, as Cedar's `*` does), `?` one
 * character (a code point); everything else is literal. Linear backtracking to the last `*` only, so no pattern and
 * value can make it slow: at most |pattern| × |value| steps (a regular expression's `.*a.*a.*b` is exponential).
 */
export function globMatch(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  const width = (i: number) => {
    const c = value.charCodeAt(i);
    return c >= 0xd800 && c <= 0xdbff && i + 1 < value.length ? 2 : 1;
  };
  while (v < value.length) {
    const c = pattern[p];
    if (c === "*") {
      star = p++;
      resume = v;
    } else if (p < pattern.length && (c === "?" || c === value[v])) {
      v += c === "?" ? width(v) : 1;
      p++;
    } else if (star >= 0) {
      p = star + 1;
      resume += width(resume);
      v = resume;
    } else return false;
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

export type Hours = { from: string; to: string; timeZone?: string; days?: number[] };

export function minutesOf(hhmm: string) {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

const clocks = new Map<string, Intl.DateTimeFormat>();
/** One formatter per time zone: making one costs far more than using it (a replay judges thousands of calls). */
function clockIn(timeZone: string): Intl.DateTimeFormat {
  let f = clocks.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hour12: false,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
    });
    if (clocks.size > 500) clocks.clear();
    clocks.set(timeZone, f);
  }
  return f;
}

/** The wall clock at `at` in `timeZone`: minutes since midnight and weekday (0 = Sunday). */
export function localClock(at: Date, timeZone: string): { minute: number; weekday: number } {
  const parts = clockIn(timeZone).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return {
    minute: (Number(get("hour")) % 24) * 60 + Number(get("minute")),
    weekday: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(get("weekday")),
  };
}

/** Is `at` inside the window, read in the window's time zone? Windows may wrap midnight (22:00–06:00). */
export function withinHours(hours: Hours, at: Date): boolean {
  const { minute: now, weekday: day } = localClock(at, hours.timeZone || "UTC");
  const from = minutesOf(hours.from);
  const to = minutesOf(hours.to);
  const inTime = from <= to ? now >= from && now < to : now >= from || now < to;
  return inTime && (!hours.days?.length || hours.days.includes(day));
}

/** The condition that keeps an allow rule, whose action and resource match, from applying to `req` (or null). */
function exclusionOf(r: RuleLike, req: EvalRequest): Exclusion | null {
  if (r.allowedHours && !withinHours(r.allowedHours as Hours, req.at)) {
    const h = r.allowedHours as Hours;
    return { kind: "outside_hours", from: h.from, to: h.to, timeZone: h.timeZone || "UTC" };
  }
  if (r.maxCostMicros === null) return null;
  if (req.estimatedMicros == null) return { kind: "no_estimate", limitMicros: r.maxCostMicros };
  if (req.estimatedMicros > r.maxCostMicros)
    return { kind: "cost_above_limit", estimateMicros: req.estimatedMicros, limitMicros: r.maxCostMicros };
  return null;
}

/** Decides a call by the rules in force: shadow rules are left out here, whoever the caller is. */
export function evaluatePermissions(rules: RuleLike[], req: EvalRequest): PermissionVerdict {
  const trace: RuleTrace[] = [];
  let firstAllow: RuleLike | null = null;
  let firstDeny: RuleLike | null = null;
  const nearMisses: NearMiss[] = [];
  const enforced = rules.filter((r) => r.mode !== "shadow").sort((a, b) => a.position - b.position);
  for (const r of enforced) {
    const t = (matched: boolean, why: string) =>
      trace.push({ ruleId: r.id, position: r.position, effect: r.effect, matched, why });
    if (!globMatch(r.action, req.action)) {
      t(false, `action "${req.action}" does not match "${r.action}"`);
      continue;
    }
    if (!globMatch(r.resource, req.resource)) {
      t(false, `resource "${req.resource}" does not match "${r.resource}"`);
      continue;
    }
    if (r.toolAnnotation) {
      const hint = r.toolAnnotation.replace("_", "-");
      if (!req.tool) {
        t(false, `only for catalogued tools marked ${hint}: "${req.resource}" is not a catalogued tool`);
        continue;
      }
      if (!req.tool[r.toolAnnotation as keyof ToolHints]) {
        t(false, `only for tools marked ${hint}: this tool is not`);
        continue;
      }
    }
    if (!classMatches(r, req)) {
      t(
        false,
        req.classification
          ? `only for resources classified ${r.classification}: "${req.resource}" is ${(req.classifications ?? [req.classification]).join(" and ")}`
          : `only for resources classified ${r.classification}: "${req.resource}" is not catalogued`,
      );
      continue;
    }
    if (r.effect === "deny") {
      // Conditions narrow allows only: a deny that matches the action and resource always applies.
      t(true, "action and resource match");
      firstDeny ??= r;
      continue;
    }
    const excluded = exclusionOf(r, req);
    if (excluded) {
      t(false, exclusionWhy(excluded));
      nearMisses.push({ position: r.position, exclusion: excluded });
      continue;
    }
    t(true, "action, resource and conditions match");
    firstAllow ??= r;
  }
  if (firstDeny) {
    return {
      outcome: "deny",
      code: "rule_denied",
      ruleId: firstDeny.id,
      reason: `Denied by rule #${firstDeny.position}: deny ${firstDeny.action} on ${firstDeny.resource}`,
      trace,
    };
  }
  if (firstAllow?.requiresApproval) {
    return {
      outcome: "deny",
      code: "approval_required",
      ruleId: firstAllow.id,
      reason: `Rule #${firstAllow.position} allows this only with a person's approval`,
      trace,
    };
  }
  if (firstAllow) {
    return {
      outcome: "allow",
      ruleId: firstAllow.id,
      reason: `Allowed by rule #${firstAllow.position}: allow ${firstAllow.action} on ${firstAllow.resource}`,
      trace,
    };
  }
  return {
    outcome: "deny",
    code: "no_matching_rule",
    ruleId: null,
    reason: noAllowReason(req, nearMisses),
    trace,
  };
}

/** A call's outcome at the permission stage: allowed, denied, or held for a person's approval. */
export type RuleOutcome = "allow" | "deny" | "approval";
export const outcomeOf = (v: PermissionVerdict): RuleOutcome =>
  v.outcome === "allow" ? "allow" : v.code === "approval_required" ? "approval" : "deny";

/** What one shadow rule would have made of a call, beside what the rules in force made of it. */
export type ShadowVerdict = { ruleId: string; from: RuleOutcome; to: RuleOutcome };

/**
 * For each shadow rule whose action and resource (and tool annotation, if it names one) match the call: the outcome the rules in force give (`from`) and
 * the outcome they would give with that one rule enforced at its position (`to`), so each rule's effect is its own.
 * Empty when the agent has no shadow rule matching the call (the common case costs one pass over the rules).
 */
export function shadowVerdicts(rules: RuleLike[], req: EvalRequest, inForce?: PermissionVerdict): ShadowVerdict[] {
  const shadows = rules.filter(
    (r) =>
      r.mode === "shadow" &&
      globMatch(r.action, req.action) &&
      globMatch(r.resource, req.resource) &&
      (!r.toolAnnotation || Boolean(req.tool?.[r.toolAnnotation as keyof ToolHints])) &&
      classMatches(r, req),
  );
  if (!shadows.length) return [];
  const from = outcomeOf(inForce ?? evaluatePermissions(rules, req));
  return shadows.map((s) => ({
    ruleId: s.id,
    from,
    to: outcomeOf(
      evaluatePermissions(
        rules.map((r) => (r === s ? { ...r, mode: "enforce" as const } : r)),
        req,
      ),
    ),
  }));
}
