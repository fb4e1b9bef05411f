/** Domain errors carry a machine code; lib/http maps each kind to one HTTP status. */
export type DomainErrorKind =
  | "validation"
  | "bad_request"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_large"
  | "unsupported_media_type"
  | "rate_limited";

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("not_found", "not_found", `${what} not found`);
export const forbidden = (message = "You are not allowed to do this") =>
  new DomainError("forbidden", "forbidden", message);
export const conflict = (code: string, message: string, details?: unknown) =>
  new DomainError("conflict", code, message, details);
export const invalid = (message: string, details?: unknown) =>
  new DomainError("validation", "validation_failed", message, details);
