import type { ZodError } from "zod";
import type { CodeOfKind, DomainErrorCode, DomainErrorKind, KindOf } from "./error-codes";

export type { DomainErrorKind } from "./error-codes";

class DomainErrorClass extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/**
 * Domain errors carry a machine code from the catalogue (./error-codes.ts); lib/http maps each kind to one HTTP
 * status. The kind must be one the catalogue lists for the code, so a typo or a mismatch does not compile.
 * (A generic constructor on a plain class, so `instanceof DomainError` narrows to DomainError, not DomainError<any>.)
 */
export const DomainError: new <C extends DomainErrorCode>(
  kind: KindOf<C> & DomainErrorKind,
  code: C,
  message: string,
  details?: unknown,
) => DomainErrorClass = DomainErrorClass;
export type DomainError = DomainErrorClass;

export const notFound = (what: string) => new DomainError("not_found", "not_found", `${what} not found`);
export const forbidden = (message = "You are not allowed to do this") =>
  new DomainError("forbidden", "forbidden", message);
export const conflict = (code: CodeOfKind<"conflict">, message: string, details?: unknown) =>
  new DomainError("conflict", code, message, details);
export const invalid = (message: string, details?: unknown) =>
  new DomainError("validation", "validation_failed", message, details);

/**
 * A validation failure as field errors keyed by dotted path under `prefix` (e.g. "document.agents.0"; "" for none);
 * an error about the whole value is under "_".
 */
export function fieldErrorsUnder(prefix: string, e: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of e.issues) {
    const key = [prefix, ...issue.path].filter((p) => p !== "").join(".") || "_";
    out[key] ??= [];
    out[key].push(issue.message);
  }
  return out;
}

/**
 * A unique constraint the database refused (Prisma's P2002): a concurrent write took the value between a command's
 * own check and its insert. A 409 like the check's, not a crash.
 */
export function uniqueViolation(err: unknown): DomainError | null {
  if ((err as { code?: unknown } | null)?.code !== "P2002") return null;
  return conflict("already_exists", "That name or value was just taken by another change: reload and try again");
}
