/**
 * Provider names as the OpenTelemetry GenAI conventions spell them (`gen_ai.provider.name` well-known values):
 * openai, anthropic, aws.bedrock, azure.ai.openai, azure.ai.inference, gcp.gen_ai, gcp.gemini, gcp.vertex_ai,
 * cohere, deepseek, groq, ibm.watsonx.ai, mistral_ai, perplexity, x_ai. Instrumentations send older or other
 * spellings (the deprecated `gen_ai.system` values `az.ai.openai` and `az.ai.inference`, OpenInference's
 * `llm.provider` / `llm.system` values such as `azure`, `google`, `vertexai`, `mistralai`, `xai`, `aws`, and
 * capitalised names such as "Anthropic"); they are mapped here so one provider has one name for pricing.
 */
const ALIASES: Record<string, string> = {
  open_ai: "openai",
  "open-ai": "openai",
  "az.ai.openai": "azure.ai.openai",
  azure_openai: "azure.ai.openai",
  "azure-openai": "azure.ai.openai",
  "azure.openai": "azure.ai.openai",
  azure: "azure.ai.openai",
  "az.ai.inference": "azure.ai.inference",
  azure_ai_inference: "azure.ai.inference",
  aws: "aws.bedrock",
  amazon: "aws.bedrock",
  bedrock: "aws.bedrock",
  aws_bedrock: "aws.bedrock",
  google: "gcp.gen_ai",
  google_genai: "gcp.gen_ai",
  gemini: "gcp.gemini",
  vertex_ai: "gcp.vertex_ai",
  vertexai: "gcp.vertex_ai",
  vertex: "gcp.vertex_ai",
  mistralai: "mistral_ai",
  mistral: "mistral_ai",
  xai: "x_ai",
  "x.ai": "x_ai",
  watsonx: "ibm.watsonx.ai",
  ibm_watsonx_ai: "ibm.watsonx.ai",
};

/** The canonical spelling of a provider name: trimmed, lower-case, known aliases mapped to the well-known value. */
export function canonicalProvider(name: string): string {
  const n = name.trim().toLowerCase();
  return ALIASES[n] ?? n;
}

/** `gcp.gen_ai` is "any Google generative AI endpoint": a price listed under it (or `google`) serves gcp.gemini and gcp.vertex_ai. */
export function providerFamilyMatches(priceProvider: string, usageProvider: string): boolean {
  const a = canonicalProvider(priceProvider);
  const b = canonicalProvider(usageProvider);
  return (a === "gcp.gen_ai" && b.startsWith("gcp.")) || (b === "gcp.gen_ai" && a.startsWith("gcp."));
}
