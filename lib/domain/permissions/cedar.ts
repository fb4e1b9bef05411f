import { type EvalRequest, type Hours, localClock, minutesOf, type RuleLike } from "./evaluate";

/**
 * An agent's permission rules as a Cedar policy set, so a security team can read, analyse and archive them in a
 * standard language. Our semantics map one to one: an allow rule is a `permit`, a deny rule a `forbid` (forbid wins
 * in Cedar as deny wins here), and no permit is Cedar's default deny. Action and resource patterns become `like`
 * over `context.action` and `context.resource` (`*` is Cedar's wildcard too); an allow rule's conditions are `when`
 * clauses over the request context:
 *
 * - `context.estimatedMicros` (Long, micro-dollars; absent without an estimate) for a maximum cost per call;
 * - `context.clock["<time zone>"]` = `{minute, weekday}` (minutes since local midnight, 0 = Sunday) for allowed hours,
 *   one entry per zone the rules name (`cedarContext` fills it: Cedar has no time zones);
 * - `context.tool` = `{read_only, destructive, idempotent, open_world}` for a catalogued MCP tool's annotations;
 * - `context.classification` (public, internal, confidential, personal): the most sensitive classification of the
 *   catalogue entries the resource falls under, which allow rules match; `context.classifications`, all of them,
 *   which deny rules match.
 *
 * Each policy is `@id("rule-<position>")` and carries `@acp_rule("<id>")`. A rule that needs a person's approval
 * carries `@requires_approval("true")`: Cedar answers allow, and the call waits for approval when the first
 * satisfied permit (lowest position) carries it, as it does here. `?` (one character) has no Cedar equivalent: it
 * is exported as `*` and the policy is marked `@inexact`.
 * Shadow rules are not enforced, so they are not exported.
 */
export type CedarRule = RuleLike & { description?: string | null };

/** A Cedar string literal. */
function literal(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}

/** A glob as a Cedar `like` pattern: `*` stays the wildcard, `?` becomes `*` (inexact). */
function pattern(glob: string): { text: string; exact: boolean } {
  return { text: literal(glob.replace(/\?/g, "*")), exact: !glob.includes("?") };
}

const ANNOTATIONS = new Set(["read_only", "destructive", "idempotent", "open_world"]);
const CLASSES = new Set(["public", "internal", "confidential", "personal"]);

/** The `when` condition of one rule. */
function condition(r: RuleLike): { text: string; exact: boolean } {
  const action = pattern(r.action);
  const resource = pattern(r.resource);
  const parts = [`context.action like ${action.text}`, `context.resource like ${resource.text}`];
  if (r.toolAnnotation && ANNOTATIONS.has(r.toolAnnotation))
    parts.push(`context has tool`, `context.tool.${r.toolAnnotation}`);
  if (r.classification && CLASSES.has(r.classification))
    parts.push(
      ...(r.effect === "deny"
        ? [`context has classifications`, `context.classifications.contains(${literal(r.classification)})`]
        : [`context has classification`, `context.classification == ${literal(r.classification)}`]),
    );
  if (r.effect === "allow") {
    if (r.allowedHours) {
      const h = r.allowedHours as Hours;
      const zone = literal(h.timeZone || "UTC");
      const clock = `context.clock[${zone}]`;
      const from = minutesOf(h.from);
      const to = minutesOf(h.to);
      parts.push(
        `context has clock`,
        `context.clock has ${zone}`,
        from <= to
          ? `${clock}.minute >= ${from} && ${clock}.minute < ${to}`
          : `(${clock}.minute >= ${from} || ${clock}.minute < ${to})`,
      );
      if (h.days?.length) parts.push(`[${h.days.join(", ")}].contains(${clock}.weekday)`);
    }
    if (r.maxCostMicros !== null)
      parts.push(`context has estimatedMicros`, `context.estimatedMicros <= ${r.maxCostMicros}`);
  }
  return { text: parts.join(" &&\n    "), exact: action.exact && resource.exact };
}

/** One policy per rule, keyed by its Cedar id, in evaluation order. */
export function cedarPolicies(agentSlug: string, rules: CedarRule[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rules.filter((r) => r.mode !== "shadow").sort((a, b) => a.position - b.position)) {
    const id = `rule-${r.position}`;
    const when = condition(r);
    const notes = [
      `@id(${literal(id)})`,
      `@acp_rule(${literal(r.id)})`,
      ...(r.effect === "allow" && r.requiresApproval ? ['@requires_approval("true")'] : []),
      ...(when.exact ? [] : ['@inexact("? (one character) is exported as *")']),
    ];
    const comment = r.description ? `// ${r.description.replace(/[\r\n]+/g, " ")}\n` : "";
    out[id] =
      `${comment}${notes.join("\n")}\n${r.effect === "allow" ? "permit" : "forbid"} (\n  principal == Agent::${literal(agentSlug)},\n  action,\n  resource\n)\nwhen {\n    ${when.text}\n};`;
  }
  return out;
}

/** The whole policy set as one Cedar document. */
export function cedarPolicySet(agentSlug: string, rules: CedarRule[]): string {
  const header = `// Permission rules of agent ${agentSlug}, exported as Cedar. Default deny; forbid wins.\n// Context: action, resource, estimatedMicros?, clock[<time zone>] = {minute, weekday}, tool?, classification? (see the README).\n`;
  return `${header}\n${Object.values(cedarPolicies(agentSlug, rules)).join("\n\n")}\n`;
}

/** The time zones the rules' allowed hours are read in. */
export function cedarZones(rules: RuleLike[]): string[] {
  return [
    ...new Set(
      rules.flatMap((r) =>
        r.effect === "allow" && r.allowedHours ? [(r.allowedHours as Hours).timeZone || "UTC"] : [],
      ),
    ),
  ];
}

/** The Cedar request context for one of our requests. */
export function cedarContext(req: EvalRequest, zones: string[]) {
  return {
    action: req.action,
    resource: req.resource,
    ...(req.estimatedMicros == null ? {} : { estimatedMicros: Number(req.estimatedMicros) }),
    ...(req.tool ? { tool: { ...req.tool } } : {}),
    ...(req.classification
      ? {
          classification: req.classification,
          classifications: [...(req.classifications ?? [req.classification])],
        }
      : {}),
    clock: Object.fromEntries(zones.map((z) => [z, localClock(req.at, z)])),
  };
}
