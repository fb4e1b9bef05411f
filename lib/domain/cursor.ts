import { invalid } from "./errors";

/** Opaque keyset cursors: base64url of the last row's sort key. */
export function encodeCursor(key: string | (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor<T = string>(cursor: string | undefined | null): T | null {
  if (!cursor) return null;
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as T;
  } catch {
    throw invalid("Invalid cursor", { cursor: ["not a cursor returned by this API"] });
  }
}
