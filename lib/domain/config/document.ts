import { parseDocument, stringify } from "yaml";
import { fieldErrorsUnder, invalid } from "../errors";
import { hasLoneSurrogate, MAX_JSON_DEPTH } from "../text";
import { type ConfigDocument, ConfigDocumentSchema } from "./schemas";

/**
 * A configuration document from YAML or JSON text (YAML 1.2 reads JSON), or from the object itself. Duplicate keys,
 * alias bombs and anything the schema refuses are 422s naming where in the document the fault is.
 */
export function parseConfigDocument(input: string | Record<string, unknown>): ConfigDocument {
  let value: unknown = input;
  if (typeof input === "string") {
    const parsed = parseDocument(input, { uniqueKeys: true, prettyErrors: true });
    const errors = [...parsed.errors, ...parsed.warnings];
    if (parsed.errors.length)
      throw invalid("The configuration is not valid YAML or JSON", {
        document: errors.map((e) => e.message.split("\n")[0]),
      });
    try {
      value = parsed.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw invalid("The configuration is not valid YAML or JSON", { document: [(e as Error).message] });
    }
    // YAML escapes and tags reach values the request body's own checks never saw.
    const problem = notPlainJson(value, "document", 0);
    if (problem) throw invalid("The configuration holds a value JSON cannot", { [problem.at]: [problem.why] });
  }
  const result = ConfigDocumentSchema.safeParse(value);
  if (!result.success)
    throw invalid("The configuration document is invalid", fieldErrorsUnder("document", result.error));
  return result.data;
}

/** Where a YAML value is not plain JSON text PostgreSQL can store: too deep, NUL, a lone surrogate, a tagged value. */
function notPlainJson(v: unknown, at: string, depth: number): { at: string; why: string } | null {
  if (depth > MAX_JSON_DEPTH) return { at, why: `nested more than ${MAX_JSON_DEPTH} levels deep` };
  if (typeof v === "string") {
    if (v.includes("\u0000")) return { at, why: "contains a NUL character" };
    if (hasLoneSurrogate(v)) return { at, why: "contains an unpaired surrogate" };
    return null;
  }
  if (typeof v === "number") return Number.isFinite(v) ? null : { at, why: "not a finite number" };
  if (v === null || typeof v === "boolean") return null;
  if (Array.isArray(v)) {
    for (const [i, item] of v.entries()) {
      const p = notPlainJson(item, `${at}.${i}`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  if (typeof v === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(v))) {
    for (const [k, item] of Object.entries(v)) {
      const p = notPlainJson(k, `${at}.${k}`, depth + 1) ?? notPlainJson(item, `${at}.${k}`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  return { at, why: "not a JSON value (a YAML tag such as !!set, !!binary or !!timestamp?)" };
}

/** The document as YAML, with a header saying what it is. */
export function configAsYaml(doc: ConfigDocument): string {
  return `# Agent Control Plane configuration (plan it with \`npx acp plan -f <file>\`)\n${stringify(doc, { lineWidth: 0 })}`;
}
