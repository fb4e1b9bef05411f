/** A credential is minted within this long of signing in, or with the person's password (lib/domain/users/fresh-proof.ts). */
export const RECENT_SIGN_IN_MINUTES = 15;
