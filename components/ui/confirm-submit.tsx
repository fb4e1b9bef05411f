"use client";

import { Button, type ButtonVariant } from "./button";

/** A submit button that asks before a destructive action. */
export function ConfirmSubmit({
  message,
  children,
  variant = "danger",
  className,
}: {
  message: string;
  children: React.ReactNode;
  variant?: ButtonVariant;
  className?: string;
}) {
  return (
    <Button
      type="submit"
      variant={variant}
      className={className}
      onClick={(e) => {
        if (!window.confirm(message)) e.preventDefault();
      }}
    >
      {children}
    </Button>
  );
}
