import { z } from "zod";

export const ModelPriceInputSchema = z.object({
  provider: z.string().trim().min(1).max(64),
  model: z.string().trim().min(1).max(128),
  inputUsdPerMTok: z.number().min(0).max(100_000),
  cachedInputUsdPerMTok: z.number().min(0).max(100_000),
  outputUsdPerMTok: z.number().min(0).max(100_000),
  // ISO 8601 with a zone (the API), or a Date (the console form); not coerced, so null or a number is refused
  // rather than read as 1970.
  effectiveFrom: z
    .union([z.date(), z.iso.datetime({ offset: true }).transform((v) => new Date(v))])
    .pipe(
      z
        .date()
        .min(new Date("1970-01-01T00:00:00Z"), { error: "use a date from 1970 on" })
        .max(new Date("9999-12-31T23:59:59.999Z"), { error: "use a date before the year 10000" }),
    )
    .default(() => new Date())
    .meta({ description: "When the price takes effect (ISO 8601 with a zone); now if left out" }),
});
export type ModelPriceInput = z.infer<typeof ModelPriceInputSchema>;

/** A price as the API shows it: US dollars per million tokens (stored exactly, in micro-dollars). */
export const ModelPriceSchema = z
  .object({
    id: z.string(),
    provider: z.string(),
    model: z.string(),
    inputUsdPerMTok: z.number(),
    cachedInputUsdPerMTok: z.number(),
    outputUsdPerMTok: z.number(),
    effectiveFrom: z.iso.datetime(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "ModelPrice" });
