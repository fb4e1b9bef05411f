"use client";

import { Button, type ButtonVariant } from "./button";
import { type ConfirmRequest, type ConfirmText, confirmRequest, useConfirm } from "./confirm-dialog";

/** The buttons whose confirmation is red unless told otherwise. */
const RED = new Set<ButtonVariant>(["danger", "destructive"]);

/**
 * A submit button for a plain `<form action>` that asks first, in the styled dialog: the question is `message` (split
 * into question and details at its first "? "), the confirming button says `confirmLabel` (default: the button's
 * text). The dialog opens only when the form's own fields are valid; confirmed, the form is submitted by this button.
 */
export function ConfirmSubmit({
  message,
  confirmLabel,
  tone,
  children,
  variant = "destructive",
  className,
  "aria-label": ariaLabel,
}: {
  message: ConfirmText;
  confirmLabel?: string;
  /** The dialog's tone: red for a destructive action (the default when the button is). */
  tone?: ConfirmRequest["tone"];
  children: React.ReactNode;
  variant?: ButtonVariant;
  className?: string;
  /** The button's accessible name when its text alone does not say what it acts on (a row's "Revoke"). */
  "aria-label"?: string;
}) {
  const [ask, dialog] = useConfirm();
  const label = confirmLabel ?? (typeof children === "string" ? children : "Confirm");
  return (
    <>
      <Button
        type="submit"
        variant={variant}
        className={className}
        aria-label={ariaLabel}
        onClick={(e) => {
          const button = e.currentTarget;
          const form = button.form;
          e.preventDefault();
          if (!form?.reportValidity()) return;
          void ask(confirmRequest(message, label, tone ?? (RED.has(variant) ? "danger" : "primary"))).then((yes) => {
            if (yes) form.requestSubmit(button);
          });
        }}
      >
        {children}
      </Button>
      {dialog}
    </>
  );
}
