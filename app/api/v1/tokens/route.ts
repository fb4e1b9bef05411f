import { createPersonalAccessToken, PersonalTokenInputSchema } from "@/lib/domain/tokens/create-personal-access-token";
import { listMyTokens } from "@/lib/domain/tokens/queries";
import { NewPersonalTokenSchema, PersonalTokenSchema } from "@/lib/domain/tokens/schemas";
import { itemsOf } from "@/lib/http/openapi";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["settings"],
    summary: "Your personal access tokens (revoked ones too)",
    response: itemsOf(PersonalTokenSchema),
  },
  async ({ actor }) => ({ items: await listMyTokens(actor) }),
);

export const POST = personRoute(
  {
    tags: ["settings"],
    summary: "Create a personal access token for yourself; the response holds the secret, shown once",
    description:
      "Needs a signed-in session: a token cannot mint another, so a leaked token cannot outlive its own revocation.",
    body: PersonalTokenInputSchema,
    response: NewPersonalTokenSchema,
    status: 201,
  },
  async ({ actor, body, meta }) => createPersonalAccessToken(actor, meta, body),
);
