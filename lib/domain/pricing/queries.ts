import "server-only";
import { db } from "@/lib/db/client";

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
