import { ZodError } from "zod";
import { DomainError } from "@/lib/domain/errors";
import { log } from "@/lib/log";
import { zodFieldErrors } from "./errors";

export type ActionState = { ok: boolean; message?: string; fieldErrors?: Record<string, string[]> };

/** Server actions answer bad input with messages for the form, never a crash page. */
export function actionError(err: unknown): ActionState {
  if (err instanceof ZodError) return { ok: false, message: "Please fix the highlighted fields.", fieldErrors: zodFieldErrors(err) };
  if (err instanceof DomainError) {
    const details = err.details && typeof err.details === "object" ? (err.details as Record<string, string[]>) : undefined;
    return { ok: false, message: err.message, fieldErrors: details };
  }
  log.error({ err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, "server action failed");
  return { ok: false, message: "Something went wrong on our side. Please try again." };
}

/** Parses a JSON textarea, reporting a field error instead of throwing a SyntaxError. */
export function jsonField(value: FormDataEntryValue | null, field: string): unknown {
  const text = String(value ?? "").trim();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError("validation", "validation_failed", "Please fix the highlighted fields.", { [field]: ["must be valid JSON"] });
  }
}
