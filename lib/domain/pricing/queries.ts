import "server-only";
import { db } from "@/lib/db/client";
import type { ModelPrice } from "@/lib/db/generated/client";
import { microsToUsd } from "../money";

export async function listPricedModels(): Promise<string[]> {
  const rows = await db().modelPrice.findMany({
    distinct: ["model"],
    select: { model: true },
    orderBy: { model: "asc" },
  });
  return rows.map((r) => r.model);
}

export async function listPrices() {
  return db().modelPrice.findMany({ orderBy: [{ provider: "asc" }, { model: "asc" }, { effectiveFrom: "desc" }] });
}

/** A price row in the API's terms (dollars per million tokens). */
export const priceView = (p: ModelPrice) => ({
  id: p.id,
  provider: p.provider,
  model: p.model,
  inputUsdPerMTok: microsToUsd(p.inputMicrosPerMTok),
  cachedInputUsdPerMTok: microsToUsd(p.cachedInputMicrosPerMTok),
  outputUsdPerMTok: microsToUsd(p.outputMicrosPerMTok),
  effectiveFrom: p.effectiveFrom,
  createdAt: p.createdAt,
});
