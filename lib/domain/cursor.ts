import { type ZodType, z } from "zod";
import { invalid } from "./errors";
import { hasLoneSurrogate } from "./text";

/** Opaque keyset cursors: base64url of the last row's sort key. */
export function encodeCursor(key: string | (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** A text sort key (slug, e-mail, name): well-formed text of a sane length, without NUL (PostgreSQL refuses it). */
export const CursorKeySchema = z
  .string()
  .max(320)
  .refine((s) => !hasLoneSurrogate(s) && !s.includes("\u0000"));
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

/** `cursor` and `limit` of a keyset-paginated list. */
export const PageQuerySchema = z.object({
  cursor: z.string().max(400).optional().meta({ description: "`nextCursor` of the previous page" }),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

/**
 * The cursor of a list ordered by (a time, id): the last row's time (a year PostgreSQL stores: 1970 to 9999) and id
 * (no NUL: PostgreSQL refuses it).
 */
export const TimeIdCursorSchema = z.tuple([
  z.iso.datetime().regex(/^(?:19[7-9]\d|[2-9]\d{3})-/),
  CursorKeySchema.min(1).max(100),
]);

/**
 * Keyset pagination over rows ordered by (`field`, id) in `dir`: the where clause for the rows after `cursor`, and
 * a function turning the rows read (at most limit + 1, in that order) into a page and its `nextCursor`.
 */
export function timeIdPage<F extends string>(field: F, dir: "asc" | "desc", query: { cursor?: string; limit: number }) {
  const after = decodeCursor(query.cursor, TimeIdCursorSchema);
  const beyond = dir === "asc" ? "gt" : "lt";
  return {
    where: after
      ? {
          OR: [
            { [field]: { [beyond]: new Date(after[0]) } },
            { [field]: new Date(after[0]), id: { [beyond]: after[1] } },
          ],
        }
      : {},
    orderBy: [{ [field]: dir }, { id: dir }] as { [K in F | "id"]: "asc" | "desc" }[],
    take: query.limit + 1,
    page<R extends { id: string } & Record<F, Date>>(rows: R[]): { rows: R[]; nextCursor: string | null } {
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        rows: page,
        nextCursor: rows.length > query.limit && last ? encodeCursor([last[field].toISOString(), last.id]) : null,
      };
    },
  };
}
