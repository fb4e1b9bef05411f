import { z } from "zod";
import { UserStatusSchema } from "@/lib/domain/users/schemas";
import { unlinkSsoAccount } from "@/lib/domain/users/unlink-sso-account";
import { personRoute } from "@/lib/http/route";

/** Unlink a person from their identity provider account: their next single sign-on binds them again (admins). */
export const POST = personRoute(
  {
    tags: ["people"],
    summary: "Unlink a person from their identity provider account: their next single sign-on binds them again",
    description:
      "For an account the provider re-created (a new sub), a changed OIDC_ISSUER or client, or a binding made by the wrong account. 409 sso_not_linked when there is none.",
    params: { id: "Person id" },
    body: UserStatusSchema,
    response: z.object({ unlinked: z.string() }),
    errors: [409],
  },
  ({ actor, params, body, meta }) => unlinkSsoAccount(actor, meta, params.id, body),
);
