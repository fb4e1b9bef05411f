/** A stream of UTF-8 chunks (or text) as one string: chunks may end inside a character, so decoded together. */
export async function readText(chunks: AsyncIterable<Uint8Array | string>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(typeof c === "string" ? Buffer.from(c) : Buffer.from(c));
  return Buffer.concat(parts).toString("utf8");
}
