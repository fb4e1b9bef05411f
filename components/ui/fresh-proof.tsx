import { RECENT_SIGN_IN_MINUTES } from "@/lib/domain/users/recent-sign-in";
import { cn } from "./cn";
import { Field, Input } from "./field";

/** What the server says the acting person must show to mint a credential (lib/domain/users/fresh-proof.ts). */
export type FreshProof = "none" | "password" | "sign_in";

/**
 * The acting person's own password, asked for beside a form that leaves behind something that outlives the session (a
 * token, an agent key, someone's password, a sink, a webhook) when they signed in more than RECENT_SIGN_IN_MINUTES ago. Shown too when the server asked for it since
 * the page was drawn (`error`). `compact`: a field without a visible label, for a form inside a table row.
 */
export function OwnPasswordField({
  id,
  ask,
  error,
  compact,
  hint,
  label = "Confirm with your password",
  autoFocus,
}: {
  id: string;
  ask: boolean;
  error?: string[];
  compact?: boolean;
  /** Shown under the field, which is then optional (the form asks for it only for part of what it does). */
  hint?: string;
  label?: string;
  autoFocus?: boolean;
}) {
  if (!ask && !error) return null;
  const input = (
    <Input
      id={id}
      name="currentPassword"
      type="password"
      autoComplete="current-password"
      required={!hint}
      autoFocus={autoFocus}
      placeholder={compact ? "your password" : undefined}
      aria-label={compact ? label : undefined}
      aria-invalid={error ? true : undefined}
      className={compact ? "w-36 py-1 text-xs" : undefined}
    />
  );
  if (compact) return input;
  return (
    <Field label={label} htmlFor={id} error={error} hint={hint}>
      {input}
    </Field>
  );
}

/** Above such a form: why the password is asked for, or (SSO only) that minting waits for a new sign-in. */
export function FreshProofNote({ proof, doing, className }: { proof: FreshProof; doing: string; className?: string }) {
  if (proof === "none") return null;
  return (
    <p className={cn("text-sm", proof === "sign_in" ? "text-amber-800" : "text-slate-600", className)} role="note">
      You signed in more than {RECENT_SIGN_IN_MINUTES} minutes ago:{" "}
      {proof === "sign_in" ? `sign out and in again to ${doing}.` : `confirm with your password to ${doing}.`}
    </p>
  );
}
