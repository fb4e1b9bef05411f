"use client";

import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { type FreshProof, FreshProofNote, OwnPasswordField } from "@/components/ui/fresh-proof";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/http/action-result";

/**
 * Whether personal access tokens may issue credentials that outlive them. Stopping them applies at once; letting them
 * again asks for fresh proof and waits for a second admin (the server refuses it to a token).
 */
export function TokenPolicyForm({
  action,
  allowed,
  asked,
  proof,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  allowed: boolean;
  /** A request to let them again waits for a second admin. */
  asked: boolean;
  proof: FreshProof;
}) {
  const [state, onSubmit, pending, dialog] = useFormAction(action, {
    confirm: allowed
      ? {
          title: "Stop tokens issuing credentials?",
          details:
            "Scripts using a token can no longer issue or rotate agent keys, give people passwords, or add SIEM sinks or webhook endpoints: an admin does that in the console. Everything else a token does is unchanged.",
          confirmLabel: "Stop tokens issuing credentials",
          tone: "primary",
        }
      : {
          title: "Ask to let tokens issue credentials again?",
          details:
            "A token could then leave behind agent keys, passwords, SIEM sinks and webhook endpoints that outlive it: a leaked one keeps its access after it is revoked. This waits for a second admin's approval.",
          confirmLabel: "Ask a second admin",
          tone: "danger",
        },
  });
  const waiting = !allowed && asked;
  return (
    <form onSubmit={onSubmit} className="space-y-3 border-t border-slate-100 p-4" data-testid="token-policy">
      <input type="hidden" name="tokensIssueCredentials" value={allowed ? "off" : "on"} />
      <p className="text-sm text-slate-700">
        {allowed
          ? "Tokens may issue credentials: agent keys, people's passwords, SIEM sinks and webhook endpoints. These outlive the token, so a leaked one can leave them behind."
          : "Tokens may not issue credentials: agent keys, people's passwords, SIEM sinks and webhook endpoints are made by an admin signed in to the console. Letting tokens again waits for a second admin."}
      </p>
      {waiting ? (
        <p className="text-sm font-medium text-amber-800" role="note">
          Asked: letting tokens issue credentials again waits for a second admin&apos;s approval, on Approvals.
        </p>
      ) : allowed ? null : (
        <>
          <FreshProofNote proof={proof} doing="let tokens issue credentials" />
          <div className="w-full sm:w-72">
            <OwnPasswordField
              id="token-policy-password"
              ask={proof === "password"}
              error={state.fieldErrors?.currentPassword}
              label="Your password, to let tokens issue credentials"
            />
          </div>
        </>
      )}
      {waiting ? null : (
        <Button type="submit" variant="secondary" disabled={pending || (!allowed && proof === "sign_in")}>
          {allowed ? "Stop tokens issuing credentials" : "Let tokens issue credentials"}
        </Button>
      )}
      {dialog}
      <FormMessage state={state} />
    </form>
  );
}
