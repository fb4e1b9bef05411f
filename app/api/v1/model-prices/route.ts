import { listPrices, priceView } from "@/lib/domain/pricing/queries";
import { ModelPriceInputSchema, ModelPriceSchema } from "@/lib/domain/pricing/schemas";
import { setModelPrice } from "@/lib/domain/pricing/set-model-price";
import { itemsOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["settings"],
    summary: "The model price table, every effective date (newest first per model)",
    response: itemsOf(ModelPriceSchema),
  },
  async () => ({ items: (await listPrices()).map(priceView) }),
);

export const POST = personRoute(
  {
    tags: ["settings"],
    summary: "Add a price from a date (admins); the same provider, model and date replaces it",
    description:
      "Usage is priced at the price in force at its timestamp when it is recorded; a new price never reprices recorded usage.",
    body: ModelPriceInputSchema,
    response: ModelPriceSchema,
    status: 201,
  },
  async ({ actor, body, meta }) => priceView(await setModelPrice(actor, meta, body)),
);
