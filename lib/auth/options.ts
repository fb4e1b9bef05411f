import "server-only";
import { headers } from "next/headers";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import type { Actor } from "@/lib/domain/actor";
import { writeAuditEvent } from "@/lib/domain/audit/write-audit-event";
import { describeRefusal, finishSignInAttempt, startSignInAttempt } from "@/lib/domain/limits/sign-in-throttle";
import { provisionSsoUser } from "@/lib/domain/users/provision-sso-user";
import {
  endSession,
  readSession,
  SESSION_MAX_AGE_SECONDS,
  SessionRefused,
  startSession,
} from "@/lib/domain/users/sessions";
import { clientAddress } from "@/lib/http/client-address";
import { appOrigin, safeCallbackPath } from "./callback-url";
import { hashPassword, verifyPassword } from "./password";
import { mapSsoClaims, ssoConfig } from "./sso-mapping";

async function auditSignIn(
  actor: Actor,
  ip: string | null,
  outcome: "success" | "failure",
  reason: string | null,
  targetId: string | null,
) {
  await inTransaction((tx) =>
    writeAuditEvent(
      tx,
      actor,
      { ip },
      {
        action: outcome === "success" ? "user.signed_in" : "user.sign_in_failed",
        targetType: "user",
        targetId,
        outcome,
        reason,
      },
    ),
  );
}

/** The generic OpenID Connect provider, enabled when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set. */
function oidcProvider(): OAuthConfig<{ sub: string; email?: string; name?: string; [claim: string]: unknown }> | null {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = process.env;
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) return null;
  return {
    id: "oidc",
    name: process.env.OIDC_NAME || "SSO",
    type: "oauth",
    wellKnown: `${OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
    authorization: { params: { scope: process.env.OIDC_SCOPE || "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    clientId: OIDC_CLIENT_ID,
    clientSecret: OIDC_CLIENT_SECRET,
    profile: (p) => ({ id: p.sub, email: p.email ?? null, name: p.name ?? p.email ?? p.sub }),
  };
}

export const ssoEnabled = () => oidcProvider() !== null;

async function loadClaims(by: { email: string } | { id: string }) {
  const where = "email" in by ? { email: by.email.toLowerCase() } : { id: by.id };
  const user = await db().user.findUnique({ where, include: { memberships: { select: { teamId: true } } } });
  if (!user || user.disabledAt) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    teamIds: user.memberships.map((m) => m.teamId),
  };
}

// Computed once, ahead of the first sign-in, so even the first unknown e-mail costs exactly one verification.
let dummy: Promise<string> | null = null;
const dummyHash = () => (dummy ??= hashPassword(`dummy-${crypto.randomUUID()}`));
void dummyHash().catch(() => (dummy = null));

/** The request's client address and user agent, where next-auth gives no request (callbacks, events). */
async function requestOrigin(): Promise<{ ip: string | null; userAgent: string | null }> {
  try {
    const h = await headers();
    return { ip: clientAddress(h), userAgent: h.get("user-agent") };
  } catch {
    return { ip: null, userAgent: null };
  }
}

export const authOptions: NextAuthOptions = {
  // The JWT carries the server-side session's id (sid); the row decides (lib/domain/users/sessions.ts).
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "E-mail and password",
      credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const email = credentials?.email?.trim().toLowerCase().slice(0, 320) ?? "";
        const password = credentials?.password ?? "";
        const ip = clientAddress(req?.headers as Record<string, string | string[] | undefined>);
        const user = email ? await db().user.findUnique({ where: { email } }) : null;
        const anonymous: Actor = {
          type: "system",
          id: null,
          label: email ? `anonymous <${email.slice(0, 200)}>` : "anonymous",
        };
        // Throttling per (account, address), per address, and a per-account ceiling that never blocks the right
        // password from an address that has not failed (lib/domain/limits/sign-in-throttle.ts).
        const refusal = await startSignInAttempt(email, ip);
        if (refusal) {
          // The first refusal of the window is recorded, the rest not: they cost a guesser nothing, and each would
          // take the audit chain's head from every governed change.
          if (refusal.first) await auditSignIn(anonymous, ip, "failure", describeRefusal(refusal), user?.id ?? null);
          throw new Error("TooManyAttempts");
        }
        // An unknown e-mail (or an SSO-only or deactivated person) is checked against a dummy hash, so the answer
        // takes as long as for a known one and does not tell which e-mails have accounts.
        const matches = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
        const ok = matches && !!user?.passwordHash && !user.disabledAt;
        await finishSignInAttempt(email, ip, ok);
        if (!ok) {
          await auditSignIn(anonymous, ip, "failure", "invalid e-mail or password", user?.id ?? null);
          return null;
        }
        const claims = (await loadClaims({ email }))!;
        await auditSignIn(
          { type: "user", id: claims.id, label: claims.email, role: claims.role, teamIds: claims.teamIds },
          ip,
          "success",
          "password",
          claims.id,
        );
        return claims;
      },
    }),
    ...(oidcProvider() ? [oidcProvider()!] : []),
  ],
  callbacks: {
    async signIn({ user, account, profile }) {
      if (account?.provider !== "oidc") return true;
      // SSO: the first sign-in creates the person with the role and teams mapped from the provider's claims;
      // later sign-ins keep them in line with the provider (see lib/auth/sso-mapping.ts).
      const claims = (profile ?? {}) as Record<string, unknown>;
      const email = (user.email ?? (typeof claims.email === "string" ? claims.email : "")).trim().toLowerCase();
      const issuer = process.env.OIDC_ISSUER ?? "oidc";
      // A refused SSO sign-in: audited, then back to the sign-in page with the reason's code.
      const refuse = async (label: string, reason: string, error: string, targetId: string | null = null) => {
        await auditSignIn({ type: "system", id: null, label }, null, "failure", reason, targetId);
        return `/sign-in?error=${error}`;
      };
      if (!email) return refuse(`sso:${issuer}`, "the identity provider sent no e-mail", "NoEmail");
      // Compatibility characters (the Kelvin sign lower-cases to "k") could make another mailbox's address read as a
      // person's here: such an address is refused.
      if (email !== email.normalize("NFKC"))
        return refuse(`sso:${issuer}`, "the e-mail holds compatibility characters", "NoEmail");
      const anonymous = `anonymous <${email.slice(0, 200)}>`;
      // People are matched by e-mail: one the provider has not said it verified could be anyone's (a provider that
      // lets users type their own e-mail would otherwise let them sign in as whoever owns it here). A provider that
      // never sends email_verified but does verify is trusted only when OIDC_EMAIL_VERIFIED=trust says so.
      const verified =
        claims.email_verified === true ||
        claims.email_verified === "true" ||
        (claims.email_verified === undefined && process.env.OIDC_EMAIL_VERIFIED === "trust");
      if (!verified) return refuse(anonymous, "the identity provider has not verified this e-mail", "EmailNotVerified");
      const { role, teamSlugs } = mapSsoClaims(claims, ssoConfig());
      if (!role) return refuse(anonymous, "no role mapped from the identity provider's claims", "NoRole");
      const subject = account.providerAccountId || (typeof claims.sub === "string" ? claims.sub : "");
      if (!subject) return refuse(anonymous, "the identity provider sent no subject", "NoEmail");
      const person = await provisionSsoUser({}, { email, name: user.name ?? email, role, teamSlugs, issuer, subject });
      if (!person) return "/sign-in?error=NoAccount";
      if ("refused" in person)
        return refuse(
          anonymous,
          "this e-mail belongs to a person here who signs in with another identity provider account",
          person.refused,
          person.userId,
        );
      const signedIn = (await loadClaims({ email }))!;
      await auditSignIn(
        { type: "user", id: signedIn.id, label: signedIn.email, role: signedIn.role, teamIds: signedIn.teamIds },
        (await requestOrigin()).ip,
        "success",
        "sso",
        signedIn.id,
      );
      return true;
    },
    async jwt({ token, user, account }) {
      if (user) {
        // Sign-in (credentials or SSO): a new server-side session row; the cookie carries its id.
        const claims =
          account?.provider === "oidc"
            ? await loadClaims({ email: user.email! })
            : (user as unknown as NonNullable<Awaited<ReturnType<typeof loadClaims>>>);
        if (!claims) return {} as unknown as typeof token;
        // Deactivated between the password check and here: no session (the sign-in fails as for a deactivated person).
        const sid = await startSession(claims.id, await requestOrigin()).catch((e: unknown) => {
          if (e instanceof SessionRefused) return null;
          throw e;
        });
        if (!sid) return {} as unknown as typeof token;
        return {
          sid,
          uid: claims.id,
          email: claims.email,
          name: claims.name,
        } as typeof token;
      }
      // Every later request: the session row and its person in one read. Revoked, expired or deactivated: no
      // session. Role, teams and the one-time-password flag come from the database, never from the cookie.
      const live = typeof token.sid === "string" ? await readSession(token.sid) : null;
      if (!live) return {} as unknown as typeof token;
      return {
        sid: live.sessionId,
        uid: live.id,
        email: live.email,
        name: live.name,
        role: live.role,
        teamIds: live.teamIds,
        mustChangePassword: live.mustChangePassword,
      } as typeof token;
    },
    async session({ session, token }) {
      if (!token.uid || !token.role) return { expires: session.expires } as typeof session;
      session.user = {
        id: token.uid,
        email: token.email ?? "",
        name: token.name ?? "",
        role: token.role,
        teamIds: token.teamIds ?? [],
        sessionId: token.sid,
        mustChangePassword: !!token.mustChangePassword,
      };
      return session;
    },
    // After sign-in (and sign-out), only ever a path on this origin.
    async redirect({ url, baseUrl }) {
      return new URL(safeCallbackPath(url, baseUrl || appOrigin()), baseUrl || appOrigin()).toString();
    },
  },
  events: {
    // Sign-out ends the session server-side: the cookie, replayed, is worth nothing.
    async signOut({ token }) {
      if (typeof token?.sid === "string") await endSession(token.sid);
    },
  },
};
