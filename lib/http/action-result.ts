import { timingSafeEqual } from "node:crypto";
import { ZodError } from "zod";
import type { BudgetReplay } from "@/lib/domain/budgets/replay-schemas";
import type { Simulation } from "@/lib/domain/decisions/simulate-decision";
import { DomainError, uniqueViolation } from "@/lib/domain/errors";
import type { RuleReplay } from "@/lib/domain/permissions/replay-schemas";
import { serverHmac } from "@/lib/domain/server-hmac";
import { log } from "@/lib/log";
import { zodFieldErrors } from "./errors";
import {
  findLoneSurrogate,
  findNul,
  hasLoneSurrogate,
  hasNul,
  jsonDepth,
  loneSurrogate,
  MAX_JSON_DEPTH,
  nulCharacter,
} from "./hostile-input";

/**
 * What a form's server action answers (lib/http/server-action.ts builds them): whether it worked, a message for the
 * person, errors per field, and what the action made (`data`, e.g. a secret shown once). A form starts from
 * `{ ok: true }`, which every state type admits.
 */
export type ActionState<T = never> = {
  ok: boolean;
  message?: string;
  /** The error's code (e.g. `eval_gate_failed`), for a form that offers a way past it. */
  code?: string;
  fieldErrors?: Record<string, string[]>;
  data?: T;
};

/** A freshly issued secret (a personal access token, a webhook signing secret), shown once. */
export type SecretState = ActionState<{ token: string }>;
/** An agent key issued or rotated: the secret, shown once, and the key's name. */
export type KeyActionState = ActionState<{ token: string; keyName: string }>;
/** The permission simulator's answer. */
export type SimulateState = ActionState<Simulation>;
/** A draft rule change replayed against recorded decisions. */
export type ReplayState = ActionState<RuleReplay>;
/** A draft budget change replayed against recorded calls and spend. */
export type BudgetReplayState = ActionState<BudgetReplay>;

/** Server actions answer bad input with messages for the form, never a crash page. */
export function actionError(thrown: unknown): ActionState {
  const err = uniqueViolation(thrown) ?? thrown;
  if (err instanceof ZodError)
    return { ok: false, message: "Please fix the highlighted fields.", fieldErrors: zodFieldErrors(err) };
  if (err instanceof DomainError) {
    // Details are field errors only where they are messages per field (an eval gate's details are its suites).
    const fields = Object.entries(err.details && typeof err.details === "object" ? err.details : {}).filter(
      (e): e is [string, string[]] => Array.isArray(e[1]) && e[1].every((m) => typeof m === "string"),
    );
    return {
      ok: false,
      message: err.message,
      code: err.code,
      ...(fields.length ? { fieldErrors: Object.fromEntries(fields) } : {}),
    };
  }
  log.error(
    { err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) },
    "server action failed",
  );
  return { ok: false, message: "Something went wrong on our side. Please try again." };
}

/** Parses a JSON textarea, reporting a field error instead of throwing a SyntaxError. */
export function jsonField(value: FormDataEntryValue | null, field: string): unknown {
  const text = checkedText(value, field).trim();
  if (!text) return {};
  const fieldError = (problem: string) =>
    new DomainError("validation", "validation_failed", "Please fix the highlighted fields.", { [field]: [problem] });
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    throw fieldError(`must not nest more than ${MAX_JSON_DEPTH} levels deep`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw fieldError("must be valid JSON");
  }
  if (findLoneSurrogate(parsed)) throw fieldError("contains an unpaired surrogate");
  if (findNul(parsed)) throw fieldError("contains a NUL character");
  return parsed;
}

/**
 * Server-action input as text: absent is "", and text holding a lone UTF-16 surrogate is refused as a field error
 * (stored, it would silently become U+FFFD), as the API's body parser refuses it. Also for bound string arguments,
 * which a caller can send as anything.
 */
export function checkedText(value: unknown, field: string): string {
  const text = value === null || value === undefined ? "" : String(value);
  if (hasLoneSurrogate(text)) throw loneSurrogate(field);
  if (hasNul(text)) throw nulCharacter(field);
  return text;
}

/** A form field as text (see checkedText). */
export function formText(form: FormData, field: string, { trim = false } = {}): string {
  const text = checkedText(form.get(field), field);
  return trim ? text.trim() : text;
}

/** The acting person's own password, given as fresh proof (components/ui/fresh-proof.tsx): undefined when left out. */
export const ownPassword = (form: FormData) => formText(form, "currentPassword") || undefined;

/** A number field: null when left blank (NaN when not a number, which the domain's schema refuses with its message). */
export function formNumber(form: FormData, field: string): number | null {
  const text = formText(form, field, { trim: true });
  return text === "" ? null : Number(text);
}

/** Every value of a repeated form field (e.g. checkboxes), checked like formText. */
export function formTexts(form: FormData, field: string): string[] {
  return form.getAll(field).map((v) => checkedText(v, field));
}

/** This server's signature of a refused call's message and the second it was refused at (keyed). */
const actionErrorSig = (message: string, at: string) =>
  serverHmac("action-error", `${at}\0${message}`).digest("base64url").slice(0, 22);
/** How long a refusal's link shows its message: long enough to read it, too short to mail it round as a lure. */
const ACTION_ERROR_SECONDS = 600;

/**
 * `path` with a refused call's message in `?actionError=` (shown by the page instead of an error page), signed with
 * the time in `&actionErrorAt=…&actionErrorSig=…`: the page shows only a message this server put there, for ten
 * minutes (shownActionError), so a link cannot put words of its own ("your key leaked: paste it at …") in the
 * console's error banner, nor keep showing one the server once gave (a refusal that echoed a name someone chose).
 */
export function withActionError(path: string, message: string, now = Date.now()): string {
  const text = message.toWellFormed();
  const at = String(Math.floor(now / 1000));
  return `${path}${path.includes("?") ? "&" : "?"}actionError=${encodeURIComponent(text)}&actionErrorAt=${at}&actionErrorSig=${actionErrorSig(text, at)}`;
}

/** The message of `?actionError=` when this server signed it (withActionError) in the last ten minutes, else null. */
export function shownActionError(sp: Record<string, string | string[] | undefined>, now = Date.now()): string | null {
  const { actionError: message, actionErrorAt: at, actionErrorSig: sig } = sp;
  if (typeof message !== "string" || typeof at !== "string" || typeof sig !== "string" || !message) return null;
  const age = now / 1000 - Number(at);
  // A minute's grace the other way: instances' clocks differ a little.
  if (!/^\d{1,12}$/.test(at) || !(age >= -60 && age <= ACTION_ERROR_SECONDS)) return null;
  const want = Buffer.from(actionErrorSig(message, at));
  const got = Buffer.from(sig);
  return got.length === want.length && timingSafeEqual(got, want) ? message : null;
}

/** A bound argument as a URL path segment, whatever a caller sent in its place. */
export function pathSegment(value: unknown): string {
  return encodeURIComponent(String(value).toWellFormed());
}
