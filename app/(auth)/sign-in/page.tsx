import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { ssoEnabled } from "@/lib/auth/options";
import { getSessionActor } from "@/lib/auth/session";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  CredentialsSignin: "That e-mail and password do not match an account.",
  NoAccount: "Your account here is disabled. Ask an admin.",
  NoRole: "Your identity provider gives you no role here. Ask an admin to map one of your groups.",
  NoEmail: "Your identity provider did not send an e-mail address.",
  SubjectMismatch:
    "This e-mail belongs to someone here who signs in with another account at your identity provider. Ask an admin.",
  EmailNotVerified: "Your identity provider has not verified your e-mail address: verify it there, then sign in again.",
  AccessDenied: "Access denied.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const { callbackUrl, error } = await searchParams;
  // Only ever a path on this origin ("/\\evil.example", "//evil.example", tabs and the like lead to "/").
  const safeCallback = safeCallbackPath(callbackUrl);
  if (await getSessionActor()) redirect(safeCallback);
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <div className="mx-auto mb-3 flex size-10 items-center justify-center rounded-lg bg-indigo-600 text-lg font-bold text-white">
            A
          </div>
          <h1 className="text-xl font-semibold tracking-tight">Agent Control Plane</h1>
          <p className="mt-1 text-sm text-slate-500">Sign in to govern your agents.</p>
        </div>
        <SignInForm
          callbackUrl={safeCallback}
          initialError={error ? (ERRORS[error] ?? "Sign-in failed. Try again.") : null}
          sso={ssoEnabled() ? process.env.OIDC_NAME || "SSO" : null}
        />
      </div>
    </main>
  );
}
