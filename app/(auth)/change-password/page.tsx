import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PasswordForm } from "@/components/settings/password-form";
import { requireSessionActor } from "@/lib/auth/session";
import { changeOneTimePasswordAction } from "./actions";

export const metadata: Metadata = { title: "Choose your password" };
export const dynamic = "force-dynamic";

/** Where a person holding a one-time (admin-set) password is sent until they choose their own. */
export default async function ChangePasswordPage() {
  const actor = await requireSessionActor({ passwordChange: true });
  if (!actor.mustChangePassword) redirect("/settings");
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-2xl">
        <div className="mb-6 text-center">
          <div className="mx-auto mb-3 flex size-10 items-center justify-center rounded-lg bg-indigo-600 text-lg font-bold text-white">
            A
          </div>
          <h1 className="text-xl font-semibold tracking-tight">Choose your password</h1>
          <p className="mt-1 text-sm text-slate-500">
            An admin gave you a one-time password ({actor.label}). Choose your own to continue; your other sessions end.
          </p>
        </div>
        <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <PasswordForm action={changeOneTimePasswordAction} />
        </div>
      </div>
    </main>
  );
}
