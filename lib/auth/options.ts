import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import type { Actor } from "@/lib/domain/actor";
import { writeAuditEvent } from "@/lib/domain/audit/write-audit-event";
import { provisionSsoUser } from "@/lib/domain/users/provision-sso-user";
import { countHit, limits, peekCount } from "@/lib/domain/limits/rate-limit";
import { safeCallbackUrl } from "./callback-url";
import { verifyPassword } from "./password";
import { mapSsoClaims, ssoConfig } from "./sso-mapping";

type HeaderBag = Record<string, string | string[] | undefined> | undefined;
function clientIp(headers: HeaderBag): string | null {
  const fwd = headers?.["x-forwarded-for"];
  const v = Array.isArray(fwd) ? fwd[0] : fwd;
  return v?.split(",")[0]?.trim() || null;
}

async function auditSignIn(actor: Actor, ip: string | null, outcome: "success" | "failure", reason: string | null, targetId: string | null) {
  await inTransaction((tx) =>
    writeAuditEvent(tx, actor, { ip }, { action: outcome === "success" ? "user.signed_in" : "user.sign_in_failed", targetType: "user", targetId, outcome, reason }),
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
  return { id: user.id, email: user.email, name: user.name, role: user.role, teamIds: user.memberships.map((m) => m.teamId) };
}

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  pages: { signIn: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "E-mail and password",
      credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const email = credentials?.email?.trim().toLowerCase() ?? "";
        const password = credentials?.password ?? "";
        const ip = clientIp(req?.headers as HeaderBag);
        const user = email ? await db().user.findUnique({ where: { email } }) : null;
        const anonymous: Actor = { type: "system", id: null, label: email ? `anonymous <${email.slice(0, 200)}>` : "anonymous" };
        // Throttling: too many recent failures for this account, or from this client address, stop further
        // attempts (even with the right password) until the window ends. The IP is known behind a proxy that
        // sets X-Forwarded-For.
        const keys = [{ key: `signin:account:${email}`, l: limits.signInPerAccount() }, ...(ip ? [{ key: `signin:ip:${ip}`, l: limits.signInPerIp() }] : [])];
        for (const { key, l } of keys) {
          if (l.limit > 0 && (await peekCount(key, l)) >= l.limit) {
            await auditSignIn(anonymous, ip, "failure", `throttled: more than ${l.limit} failed sign-ins in ${l.windowMs / 60_000} min (${key.split(":")[1]})`, user?.id ?? null);
            throw new Error("TooManyAttempts");
          }
        }
        const ok = !!user && !user.disabledAt && !!user.passwordHash && (await verifyPassword(user.passwordHash, password));
        if (!ok) {
          for (const { key, l } of keys) await countHit(key, l);
          await auditSignIn(anonymous, ip, "failure", "invalid e-mail or password", user?.id ?? null);
          return null;
        }
        const claims = (await loadClaims({ email }))!;
        await auditSignIn({ type: "user", id: claims.id, label: claims.email, role: claims.role, teamIds: claims.teamIds }, ip, "success", "password", claims.id);
        return claims;
      },
    }),
    ...(oidcProvider() ? [oidcProvider()!] : []),
  ],
  callbacks: {
    redirect: safeCallbackUrl,
    async signIn({ user, account, profile }) {
      if (account?.provider !== "oidc") return true;
      // SSO: the first sign-in creates the person with the role and teams mapped from the provider's claims;
      // later sign-ins keep them in line with the provider (see lib/auth/sso-mapping.ts).
      const claims = (profile ?? {}) as Record<string, unknown>;
      const email = (user.email ?? (typeof claims.email === "string" ? claims.email : "")).trim().toLowerCase();
      const issuer = process.env.OIDC_ISSUER ?? "oidc";
      if (!email) {
        await auditSignIn({ type: "system", id: null, label: `sso:${issuer}` }, null, "failure", "the identity provider sent no e-mail", null);
        return "/sign-in?error=NoEmail";
      }
      const { role, teamSlugs } = mapSsoClaims(claims, ssoConfig());
      if (!role) {
        await auditSignIn({ type: "system", id: null, label: `anonymous <${email.slice(0, 200)}>` }, null, "failure", "no role mapped from the identity provider's claims", null);
        return "/sign-in?error=NoRole";
      }
      const person = await provisionSsoUser({}, { email, name: user.name ?? email, role, teamSlugs, issuer });
      if (!person) return "/sign-in?error=NoAccount";
      const signedIn = (await loadClaims({ email }))!;
      await auditSignIn({ type: "user", id: signedIn.id, label: signedIn.email, role: signedIn.role, teamIds: signedIn.teamIds }, null, "success", "sso", signedIn.id);
      return true;
    },
    async jwt({ token, user, account }) {
      // At sign-in the claims come from the provider's user; on every later request they are read again, so a
      // changed role or team, or a deactivation, takes effect at the person's next request (one primary-key read).
      const claims = user
        ? account?.provider === "oidc"
          ? await loadClaims({ email: user.email! })
          : (user as unknown as NonNullable<Awaited<ReturnType<typeof loadClaims>>>)
        : token.uid
          ? await loadClaims({ id: token.uid })
          : null;
      if (!claims) return {} as unknown as typeof token; // signed out: no uid, so no session
      token.uid = claims.id;
      token.email = claims.email;
      token.name = claims.name;
      token.role = claims.role;
      token.teamIds = claims.teamIds;
      return token;
    },
    async session({ session, token }) {
      session.user = { id: token.uid, email: token.email ?? "", name: token.name ?? "", role: token.role, teamIds: token.teamIds ?? [] };
      return session;
    },
  },
};
