import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { usdToMicros } from "../money";
import { ModelPriceInputSchema } from "./schemas";

/** Adds (or replaces, for the same effective date) a model price. Prices never change retroactively. */
export async function setModelPrice(actor: Actor, meta: RequestMeta, raw: unknown) {
  requireAdmin(actor);
  const input = ModelPriceInputSchema.parse(raw);
  const data = {
    provider: input.provider,
    model: input.model,
    inputMicrosPerMTok: usdToMicros(input.inputUsdPerMTok),
    cachedInputMicrosPerMTok: usdToMicros(input.cachedInputUsdPerMTok),
    outputMicrosPerMTok: usdToMicros(input.outputUsdPerMTok),
    effectiveFrom: input.effectiveFrom,
  };
  return inTransaction(async (tx) => {
    const key = { provider: data.provider, model: data.model, effectiveFrom: data.effectiveFrom };
    const before = await tx.modelPrice.findUnique({ where: { provider_model_effectiveFrom: key } });
    const price = await tx.modelPrice.upsert({
      where: { provider_model_effectiveFrom: key },
      create: data,
      update: data,
    });
    await writeAuditEvent(tx, actor, meta, {
      action: before ? "price.updated" : "price.created",
      targetType: "model_price",
      targetId: price.id,
      before,
      after: price,
    });
    return price;
  });
}
