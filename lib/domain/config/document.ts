import { parseDocument, stringify } from "yaml";
import { fieldErrorsUnder, invalid } from "../errors";
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
  }
  const result = ConfigDocumentSchema.safeParse(value);
  if (!result.success)
    throw invalid("The configuration document is invalid", fieldErrorsUnder("document", result.error));
  return result.data;
}

/** The document as YAML, with a header saying what it is. */
export function configAsYaml(doc: ConfigDocument): string {
  return `# Agent Control Plane configuration (plan it with \`npx acp plan -f <file>\`)\n${stringify(doc, { lineWidth: 0 })}`;
}
