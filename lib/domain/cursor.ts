import { type ZodType, z } from "zod";
import { invalid } from "./errors";
import { hasLoneSurrogate } from "./text";

/** Opaque keyset cursors: base64url of the last row's sort key. */
export function encodeCursor(key: string | (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** A text sort key (slug, e-mail): well-formed text of a sane length. */
export const CursorKeySchema = z
  .string()
  .max(320)
  .refine((s) => !hasLoneSurrogate(s));
/** An audit position. */
export const PositionCursorSchema = z.string().regex(/^\d{1,18}$/);

const notACursor = () => invalid("Invalid cursor", { cursor: ["not a cursor returned by this API"] });

/**
 * Decodes a cursor and checks it has the shape the list encodes (`shape`): a cursor is client input, and a forged
 * one that decodes to anything else (an object, a number, a lone surrogate) must be a 422, not a query error.
 */
export function decodeCursor<T>(cursor: string | undefined | null, shape: ZodType<T>): T | null {
  if (!cursor) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw notACursor();
  }
  const parsed = shape.safeParse(decoded);
  if (!parsed.success) throw notACursor();
  return parsed.data;
}
