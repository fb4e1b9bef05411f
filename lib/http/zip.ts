import { createHash } from "node:crypto";
import { Zip, ZipDeflate } from "fflate";

/** One file of a zip: its name and its content, produced when the file's turn comes (so it may use earlier ones). */
export type ZipEntry = {
  name: string;
  content: () => AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;
};
export type ZippedFile = { name: string; bytes: number; sha256: string };

const encoder = new TextEncoder();

/**
 * A zip (deflate) written as a stream, one file after another, memory bounded by a chunk: files are produced in
 * order, and `written` lists each finished file's size and SHA-256 (of its content, before compression) as it
 * closes, so a last file (a manifest) can list the others.
 */
export async function* zipStream(
  entries: ZipEntry[],
  opts: { mtime: Date; written?: ZippedFile[] },
): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failure = err;
    else out.push(data);
  });
  function* drain() {
    if (failure) throw failure;
    while (out.length) yield out.shift() as Uint8Array;
  }
  for (const entry of entries) {
    const file = new ZipDeflate(entry.name, { level: 6 });
    file.mtime = opts.mtime;
    zip.add(file);
    const hash = createHash("sha256");
    let bytes = 0;
    for await (const chunk of entry.content()) {
      const data = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
      if (!data.length) continue;
      hash.update(data);
      bytes += data.length;
      file.push(data);
      yield* drain();
    }
    file.push(new Uint8Array(0), true);
    opts.written?.push({ name: entry.name, bytes, sha256: hash.digest("hex") });
    yield* drain();
  }
  zip.end();
  yield* drain();
}
