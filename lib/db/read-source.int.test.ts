import { afterEach, describe, expect, it } from "vitest";
import { db, disconnectDb, readSource } from "./client";
import { dbTarget } from "./config";

// A real replica is proven by scripts/cluster-test.ts (npm run cluster's topology); here, the ways to the primary.
describe("readSource", () => {
  afterEach(async () => {
    delete process.env.DATABASE_READ_URL;
    await disconnectDb();
  });

  it("reads from the primary without DATABASE_READ_URL, and on the embedded database whatever it says", async () => {
    process.env.DATABASE_READ_URL = "postgresql://nobody@127.0.0.1:1/none";
    const s = await readSource();
    if (dbTarget().kind === "pglite") {
      expect(s).toMatchObject({ replica: false, url: null });
      return;
    }
    delete process.env.DATABASE_READ_URL;
    expect(await readSource()).toMatchObject({ replica: false, url: process.env.DATABASE_URL });
  });

  it("passes over a server that is not a replica (it never replays) and one that does not answer", async (ctx) => {
    if (dbTarget().kind !== "postgres") ctx.skip();
    // The primary itself named as the replica: pg_last_wal_replay_lsn() is null there, so it never counts as caught up.
    process.env.DATABASE_READ_URL = process.env.DATABASE_URL;
    process.env.DATABASE_READ_WAIT_MS = "30";
    try {
      const s = await readSource();
      expect(s.replica).toBe(false);
      expect(s.client).toBe(db());
      // Nothing listens on port 1: the primary answers.
      await disconnectDb();
      process.env.DATABASE_READ_URL = "postgresql://postgres@127.0.0.1:1/none";
      const down = await readSource();
      expect(down.replica).toBe(false);
      expect(await down.client.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    } finally {
      delete process.env.DATABASE_READ_WAIT_MS;
    }
  });
});
