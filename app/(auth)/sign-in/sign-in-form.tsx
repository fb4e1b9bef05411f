"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

export function SignInForm({
  callbackUrl,
  initialError,
  sso,
}: {
  callbackUrl: string;
  initialError: string | null;
  sso: string | null;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);
  const password = useRef<HTMLInputElement>(null);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    const res = await signIn("credentials", {
      email: form.get("email"),
      password: form.get("password"),
      redirect: false,
    });
    if (res?.ok && !res.error) {
      router.replace(callbackUrl);
      router.refresh();
    } else {
      setPending(false);
      // The button was disabled while signing in, which drops focus: bring it back to the password to try again.
      password.current?.select();
      password.current?.focus();
      setError(
        res?.error === "TooManyAttempts"
          ? "Too many failed sign-ins from this address. Wait 15 minutes, then try again."
          : "That e-mail and password do not match an account.",
      );
    }
  }

  return (
    <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <Field label="E-mail" htmlFor="email">
          <Input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            aria-invalid={!!error || undefined}
            aria-describedby={error ? "sign-in-error" : undefined}
          />
        </Field>
        <Field label="Password" htmlFor="password">
          <Input
            ref={password}
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={!!error || undefined}
            aria-describedby={error ? "sign-in-error" : undefined}
          />
        </Field>
        {error ? (
          <p
            id="sign-in-error"
            role="alert"
            className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700"
            data-testid="sign-in-error"
          >
            {error}
          </p>
        ) : null}
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {sso ? (
        <>
          <div className="my-4 flex items-center gap-3 text-xs text-slate-600">
            <span className="h-px flex-1 bg-slate-200" />
            or
            <span className="h-px flex-1 bg-slate-200" />
          </div>
          <Button variant="secondary" className="w-full" onClick={() => signIn("oidc", { callbackUrl })}>
            Sign in with {sso}
          </Button>
        </>
      ) : null}
    </div>
  );
}
