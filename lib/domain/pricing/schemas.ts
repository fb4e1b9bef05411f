import { z } from "zod";

export const ModelPriceInputSchema = z.object({
  provider: z.string().trim().min(1).max(64),
  model: z.string().trim().min(1).max(128),
  inputUsdPerMTok: z.number().min(0).max(100_000),
  cachedInputUsdPerMTok: z.number().min(0).max(100_000),
  outputUsdPerMTok: z.number().min(0).max(100_000),
  effectiveFrom: z.coerce.date(),
});
export type ModelPriceInput = z.infer<typeof ModelPriceInputSchema>;
