import { revokePersonalAccessToken } from "@/lib/domain/tokens/revoke-personal-access-token";
import { PersonalTokenSchema } from "@/lib/domain/tokens/schemas";
import { personRoute } from "@/lib/http/route";

export const DELETE = personRoute(
  {
    tags: ["settings"],
    summary: "Revoke a token: your own, or anyone's for admins (revoking twice is a no-op)",
    params: { id: "Token id" },
    response: PersonalTokenSchema,
  },
  async ({ actor, params, meta }) => revokePersonalAccessToken(actor, meta, params.id),
);
