import { describe, expect, it } from "vitest";
import { readBodyLimited } from "./body";

const tooLarge = () => new Error("too large");

/** A request whose body never ends on its own: 64 KiB a pull, counting the pulls. */
function endless() {
  let pulls = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls++;
      controller.enqueue(new Uint8Array(64 * 1024));
    },
    cancel() {
      cancelled = true;
    },
  });
  const req = new Request("http://x/", { method: "POST", body, duplex: "half" } as RequestInit);
  return { req, pulls: () => pulls, cancelled: () => cancelled };
}

describe("request bodies", () => {
  it("stops reading a body with no length as it passes the limit, and cancels it", async () => {
    const s = endless();
    await expect(readBodyLimited(s.req, 1024 * 1024, tooLarge)).rejects.toThrow("too large");
    expect(s.pulls()).toBeLessThanOrEqual(18); // 1 MiB is 16 chunks: one more passes it (plus one pulled ahead)
    expect(s.cancelled()).toBe(true);
  });

  it("refuses a declared length over the limit before reading, and reads one within it whole", async () => {
    const declared = new Request("http://x/", {
      method: "POST",
      body: "x",
      headers: { "content-length": String(2 * 1024 * 1024) },
    });
    await expect(readBodyLimited(declared, 1024 * 1024, tooLarge)).rejects.toThrow("too large");
    const small = new Request("http://x/", { method: "POST", body: "héllo" });
    expect(new TextDecoder().decode(await readBodyLimited(small, 1024, tooLarge))).toBe("héllo");
    expect(await readBodyLimited(new Request("http://x/"), 1024, tooLarge)).toHaveLength(0);
  });
});
