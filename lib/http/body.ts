import "server-only";
import { DomainError } from "@/lib/domain/errors";

/**
 * A request body read up to `max` bytes. A declared Content-Length over it is refused before reading; a chunked body
 * (no length) is read as it comes and refused, its stream cancelled, the moment it passes `max`: a client cannot make
 * the server buffer more than `max` by leaving the length out.
 */
export async function readBodyLimited(req: Request, max: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (Number(req.headers.get("content-length") ?? 0) > max) throw tooLarge();
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await reader.read().catch(() => {
      throw new DomainError(
        "validation",
        "body_unreadable",
        "The request body could not be read (the client closed the connection?)",
      );
    });
    if (next.done) break;
    size += next.value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks, size);
}
