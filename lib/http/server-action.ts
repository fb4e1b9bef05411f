import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect, unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { requestMeta, requireSessionActor, type SessionActor } from "@/lib/auth/session";
import type { RequestMeta } from "@/lib/domain/actor";
import { type ActionState, actionError, checkedText } from "./action-result";
import { requireSameOriginWrite } from "./same-origin";

/**
 * Server actions are public POST endpoints: anyone can call one with any arguments. Every action in app/ is built
 * here, so each checks, in this order and before its own code runs: that the post comes from the console itself
 * (as the API checks cookie-authenticated writes; Next checks the Origin too), who is calling (no session: a
 * redirect to sign-in; a one-time password: to change-password, unless `passwordChange`), and its bound arguments
 * (`args`, schemas: `.bind()` values come back from the browser). Then it reads the form (`input`, with the checked
 * helpers of action-result.ts, so lone surrogates are refused), calls one domain command (`run`), invalidates
 * `revalidate` and either redirects or answers the form. A refused call never escapes as an error page: the form
 * gets the message (`action`) or the person is sent to `failure`'s URL with it (`postAction`).
 */

type Schemas = readonly z.ZodType[];
/** The values of bound arguments, as their schemas parse them. */
type Args<S extends Schemas> = { -readonly [K in keyof S]: z.output<S[K]> };
/** What a refused call may have been bound to: anything, as sent. */
type RawArgs<S extends Schemas> = { -readonly [K in keyof S]: unknown };

type ActionDef<S extends Schemas, I, R> = {
  /** Schemas of the arguments bound with `.bind(null, …)`, in order. */
  args?: S;
  /** Reads the form (absent fields are ""); the domain command's schema validates what it returns. */
  input?: (form: FormData) => I;
  /** Only the change-password page's action runs for a person who still holds a one-time password. */
  passwordChange?: boolean;
  run: (actor: SessionActor, input: I, meta: RequestMeta, ...args: Args<S>) => Promise<R>;
  /** Paths whose rendered pages the change makes stale. */
  revalidate?: (result: R, ...args: Args<S>) => string[];
  /** Where to go after success (undefined: stay on the page). */
  redirect?: (result: R, ...args: Args<S>) => string | undefined;
};

/** An action for a form with state (components/ui/use-form-action.ts): `(...bound, prev, form) => state`. */
export type FormAction<S extends Schemas, D> = (
  ...call: [...Args<S>, ActionState<D>, FormData]
) => Promise<ActionState<D>>;
/** An action for a plain `<form action>`: `(...bound, form) => void`. */
export type PostAction<S extends Schemas> = (...call: [...Args<S>, FormData?]) => Promise<void>;

const built = new WeakSet<object>();

/** Whether `fn` was made by this module (a test checks every export of the "use server" files in app/). */
export function isBuiltAction(fn: unknown): boolean {
  return typeof fn === "function" && built.has(fn);
}

type Outcome<S extends Schemas, R> =
  | { ok: true; result: R; args: Args<S> }
  | { ok: false; state: ActionState; args: Args<S> | RawArgs<S> };

async function perform<S extends Schemas, I, R>(
  def: ActionDef<S, I, R>,
  raw: unknown[],
  form: unknown,
): Promise<Outcome<S, R>> {
  const bound = raw.slice(0, def.args?.length ?? 0) as RawArgs<S>;
  const refused = await crossSite();
  if (refused) return { ok: false, state: actionError(refused), args: bound };
  const actor = await requireSessionActor({ passwordChange: def.passwordChange });
  let args: Args<S> | RawArgs<S> = bound;
  try {
    const parsed = parseArgs(def.args ?? [], bound) as Args<S>;
    args = parsed;
    const input = def.input ? def.input(form instanceof FormData ? form : new FormData()) : (undefined as I);
    const result = await def.run(actor, input, await requestMeta(), ...parsed);
    for (const path of def.revalidate?.(result, ...parsed) ?? []) revalidatePath(path);
    return { ok: true, result, args: parsed };
  } catch (err) {
    unstable_rethrow(err);
    return { ok: false, state: actionError(err), args };
  }
}

/** Bound arguments parsed by their schemas; text among them is refused when it holds a lone surrogate. */
function parseArgs(schemas: Schemas, values: readonly unknown[]): unknown[] {
  return schemas.map((schema, i) => {
    const value = schema.parse(values[i]);
    if (typeof value === "string") checkedText(value, `argument ${i + 1}`);
    return value;
  });
}

/** The refusal of a post that does not come from the console's own pages (see same-origin.ts), or null. */
async function crossSite(): Promise<unknown> {
  try {
    // Only the headers count: the scheme comes from X-Forwarded-Proto, else http (`next start` serves http).
    requireSameOriginWrite(new Request("http://localhost/", { method: "POST", headers: await headers() }), {
      jsonBody: false,
    });
    return null;
  } catch (err) {
    return err;
  }
}

/**
 * An action for a form that shows its state. On success it answers `reply` (default `{ ok: true }`; a string is
 * the success message), unless `redirect` names a page; a refused call answers the error for the form.
 */
export function action<const S extends Schemas = [], I = undefined, R = void, D = never>(
  def: ActionDef<S, I, R> & { reply?: string | ((result: R, ...args: Args<S>) => ActionState<D>) },
): FormAction<S, D> {
  const fn = async (...call: [...Args<S>, ActionState<D>, FormData]): Promise<ActionState<D>> => {
    const raw: unknown[] = call;
    const n = def.args?.length ?? 0;
    const outcome = await perform(def, raw, raw[n + 1]);
    if (!outcome.ok) return outcome.state;
    const to = def.redirect?.(outcome.result, ...outcome.args);
    if (to) redirect(to);
    const { reply } = def;
    if (typeof reply === "function") return reply(outcome.result, ...outcome.args);
    return reply ? { ok: true, message: reply } : { ok: true };
  };
  built.add(fn);
  return fn;
}

/**
 * An action for a plain `<form action>` (no state to answer): after success the page re-renders, or `redirect`
 * names the next one; a refused call goes to `failure`'s URL, built from the message and the bound arguments as
 * sent (they may be what was refused: build paths with `pathSegment`).
 */
export function postAction<const S extends Schemas = [], I = undefined, R = void>(
  def: ActionDef<S, I, R> & { failure: (message: string, ...args: RawArgs<S>) => string },
): PostAction<S> {
  const fn = async (...call: [...Args<S>, FormData?]): Promise<void> => {
    const raw: unknown[] = call;
    const outcome = await perform(def, raw, raw[def.args?.length ?? 0]);
    if (!outcome.ok) redirect(def.failure(outcome.state.message ?? "Something went wrong.", ...outcome.args));
    const to = def.redirect?.(outcome.result, ...outcome.args);
    if (to) redirect(to);
  };
  built.add(fn);
  return fn;
}
