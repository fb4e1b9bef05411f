import net from "node:net";
import { afterAll, describe, expect, it, vi } from "vitest";
import { db, disconnectDb } from "./client";
import { dbTarget } from "./config";
import { Prisma } from "./generated/client";
import { leanPool } from "./lean";
import { arrayParams, fullTx, inLeanTransaction, inTransaction, leanSql, queryRawThenCommit, type SqlTx } from "./tx";

afterAll(() => disconnectDb());

const keys = async (prefix: string) =>
  (
    await db().$queryRaw<
      { key: string }[]
    >`SELECT key FROM rate_limit_windows WHERE key LIKE ${`${prefix}%`} ORDER BY key`
  ).map((r) => r.key);

describe("the hot path's lean connection", () => {
  it("answers raw SQL as Prisma does: bigints, UTC timestamps, json, arrays, nested fragments", async (ctx) => {
    if (dbTarget().kind !== "postgres") ctx.skip(); // there, leanSql() is Prisma's own client
    const at = new Date("2026-03-29T01:30:00.123Z");
    const big = 9_007_199_254_740_993n; // past Number's exact range
    const where = Prisma.sql`WHERE ${true}`;
    const q = () => Prisma.sql`
      SELECT ${big}::bigint AS big, ${at}::timestamp(3) AS at, ${at}::timestamp(3) + interval '1 hour' AS later,
        ${JSON.stringify({ a: [1, "x"] })}::jsonb AS doc, ${["a", null, "c"]}::text[] AS texts,
        array_length(${[at, at]}::timestamp(3)[], 1) AS n, (SELECT SUM(x) FROM unnest(${[big, 1n]}::bigint[]) x)::bigint AS sum,
        ${[true, false]}::boolean[] AS flags, 7::int AS seven, NULL::text AS nothing ${where}`;
    const lean = await leanSql().$queryRaw<Record<string, unknown>[]>(q());
    expect(lean).toEqual(await db().$queryRaw(q()));
    expect(lean[0]).toMatchObject({ big, at, later: new Date(at.getTime() + 3_600_000), sum: big + 1n, seven: 7 });
    // Tagged templates too, and the same text again (now a prepared statement on that connection).
    for (let i = 0; i < 3; i++) expect(await leanSql().$executeRaw`SELECT ${i}::int`).toBe(1);
  });

  it("array parameters read the same in binary on the lean connection as in lists through Prisma", async () => {
    // Edge values of each type an unnest INSERT sends: text needing escapes in an array literal, multi-byte and
    // astral characters, the word NULL, empty text; int4 and int8 bounds; timestamps before 2000 and with milliseconds.
    const texts = ['a"b\\c', "{x,y}", "é – 漢字 🎉", "NULL", "", null, " spaced "];
    const ints = [0, -1, 2_147_483_647, -2_147_483_648, null];
    const bigs = [0n, -5n, 9_007_199_254_740_993n, -9_223_372_036_854_775_808n, null];
    const flags = [true, false, null];
    const times = [new Date("1999-12-31T23:59:59.999Z"), Date.UTC(2026, 2, 29, 1, 30, 0, 123), null, new Date(0)];
    const read = (tx: SqlTx) => {
      const a = arrayParams(tx);
      // Read back as JSON: the embedded database's adapter misreads arrays holding NULLs (as "NULL", NaN, false).
      return tx.$queryRaw<Record<string, unknown>[]>`
        SELECT to_jsonb(${a.text(texts)}::text[]) AS texts, to_jsonb(${a.int4(ints)}::int[]) AS ints,
          to_jsonb(${a.int8(bigs)}::bigint[]::text[]) AS bigs, to_jsonb(${a.bool(flags)}::boolean[]) AS flags,
          to_jsonb(ARRAY(SELECT to_char(x, 'YYYY-MM-DD HH24:MI:SS.MS') FROM unnest(${a.timestamp(times)}::timestamp(3)[]) x)) AS times,
          cardinality(${a.text([])}::text[]) AS empty`;
    };
    const lean = await inLeanTransaction(read);
    const prisma = await inTransaction(read);
    expect(lean).toEqual(prisma);
    expect(lean[0]).toEqual({
      texts,
      ints,
      bigs: ["0", "-5", "9007199254740993", "-9223372036854775808", null],
      flags,
      times: ["1999-12-31 23:59:59.999", "2026-03-29 01:30:00.123", null, "1970-01-01 00:00:00.000"],
      empty: 0,
    });
  });

  it("a step that needs the full client starts the work again in a Prisma transaction, keeping nothing of the first try", async () => {
    let tries = 0;
    const answer = await inLeanTransaction(async (tx) => {
      tries++;
      await tx.$executeRaw`INSERT INTO rate_limit_windows (key, "windowStart", count) VALUES (${`lean-a:${tries}`}, now(), 1)`;
      const full = fullTx(tx);
      return full.rateLimitWindow.count({ where: { key: { startsWith: "lean-a:" } } });
    });
    // On PostgreSQL the lean try was rolled back and the second try ran in Prisma; elsewhere it was Prisma at once.
    const lean = dbTarget().kind === "postgres";
    expect(tries).toBe(lean ? 2 : 1);
    expect(answer).toBe(1);
    expect(await keys("lean-a:")).toEqual([`lean-a:${tries}`]);
  });

  it("a failure rolls everything back and gives the connection back (more failures than the pool has connections)", async () => {
    for (let i = 0; i < 15; i++)
      await expect(
        inLeanTransaction(async (tx) => {
          await tx.$executeRaw`INSERT INTO rate_limit_windows (key, "windowStart", count) VALUES (${`lean-b:${i}`}, now(), 1)`;
          await tx.$executeRaw`SELECT 1 / 0`;
        }),
      ).rejects.toThrow(/division by zero/);
    expect(await keys("lean-b:")).toEqual([]);
    expect(await inLeanTransaction((tx) => tx.$queryRaw`SELECT 1::int AS one`)).toEqual([{ one: 1 }]);
  });

  it("a last statement commits the transaction with it: nothing runs after it, and one that fails keeps nothing", async () => {
    const insert = (key: string) =>
      Prisma.sql`INSERT INTO rate_limit_windows (key, "windowStart", count) VALUES (${key}, now(), 1) RETURNING key`;
    expect(
      await inLeanTransaction(async (tx) => {
        await tx.$executeRaw(insert("lean-c:1"));
        return queryRawThenCommit(tx, insert("lean-c:2"));
      }),
    ).toEqual([{ key: "lean-c:2" }]);
    expect(await keys("lean-c:")).toEqual(["lean-c:1", "lean-c:2"]);
    await expect(
      inLeanTransaction(async (tx) => {
        await tx.$executeRaw(insert("lean-d:1"));
        await queryRawThenCommit(tx, Prisma.sql`SELECT 1 / 0`);
      }),
    ).rejects.toThrow(/division by zero/);
    expect(await keys("lean-d:")).toEqual([]);
    if (dbTarget().kind !== "postgres") return; // below, the hot path's own connection
    // A value node-postgres cannot send fails before anything is written: the COMMIT never goes out.
    await expect(
      inLeanTransaction(async (tx) => {
        await tx.$executeRaw(insert("lean-f:1"));
        await queryRawThenCommit(tx, Prisma.sql`SELECT ${{ n: 1n }}::jsonb`);
      }),
    ).rejects.toThrow(/BigInt/);
    expect(await keys("lean-f:")).toEqual([]);
    await expect(
      inLeanTransaction(async (tx) => {
        await queryRawThenCommit(tx, insert("lean-e:1"));
        await tx.$executeRaw(insert("lean-e:2"));
      }),
    ).rejects.toThrow(/committed/);
    expect(await keys("lean-e:")).toEqual(["lean-e:1"]);
  });

  it("statements sent in one pass go out in one write, a last one with its COMMIT; one sent later still goes out", async (ctx) => {
    const target = dbTarget();
    if (target.kind !== "postgres") return ctx.skip(); // there, leanSql() is Prisma's own client
    const one = (n: number) => Prisma.sql`SELECT ${n}::int AS n`;
    await inLeanTransaction((tx) => tx.$queryRaw(one(0))); // a connection in the pool, its statement prepared
    // Every write to the socket of the connection the transaction below checks out (and to no other: an idle
    // connection of another pool may close meanwhile).
    let socket: unknown;
    leanPool(target.url).once("acquire", (client) => {
      socket = (client as unknown as { connection: { stream: unknown } }).connection.stream;
    });
    let writes = 0;
    const proto = net.Socket.prototype as unknown as Record<"_write" | "_writev", (...a: unknown[]) => void>;
    const spies = (["_write", "_writev"] as const).map((name) => {
      const original = proto[name];
      return vi.spyOn(proto, name).mockImplementation(function (this: unknown, ...args: unknown[]) {
        if (this === socket) writes++;
        return original.apply(this, args);
      });
    });
    try {
      const answers = await inLeanTransaction(async (tx) => {
        // BEGIN and three statements, sent from different functions in the same pass.
        const together = await Promise.all([1, 2, 3].map(async (n) => tx.$queryRaw<{ n: number }[]>(one(n))));
        const later = await tx.$queryRaw<{ n: number }[]>(one(4)); // after an answer: a write of its own
        const last = await queryRawThenCommit<{ n: number }[]>(tx, one(5));
        return [...together, later, last].map(([r]) => r.n);
      });
      expect(answers).toEqual([1, 2, 3, 4, 5]);
      expect(writes).toBe(3); // node-postgres alone: 7 (BEGIN, each statement, the COMMIT)
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });

  it("a last statement on its generic plan: the setting is its transaction's alone, and a failure keeps nothing", async (ctx) => {
    if (dbTarget().kind !== "postgres") ctx.skip(); // the hot path's own connection
    const mode = Prisma.sql`SELECT current_setting('plan_cache_mode') AS mode`;
    expect(await inLeanTransaction((tx) => queryRawThenCommit(tx, mode, { genericPlan: true }))).toEqual([
      { mode: "force_generic_plan" },
    ]);
    // More transactions at once than the pool has connections, so every connection answers: none kept it.
    const all = await Promise.all(
      Array.from({ length: 12 }, () =>
        inLeanTransaction((tx) => tx.$queryRaw`SELECT current_setting('plan_cache_mode') AS mode FROM pg_sleep(0.05)`),
      ),
    );
    expect(all.flat()).toEqual(Array(12).fill({ mode: "auto" }));
    await expect(
      inLeanTransaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO rate_limit_windows (key, "windowStart", count) VALUES ('lean-h:1', now(), 1)`;
        await queryRawThenCommit(tx, Prisma.sql`SELECT 1 / 0`, { genericPlan: true });
      }),
    ).rejects.toThrow(/division by zero/);
    expect(await keys("lean-h:")).toEqual([]);
  });

  it("a failure caught inside the work still fails the call, keeping nothing; a statement sent after the end does not run", async (ctx) => {
    if (dbTarget().kind !== "postgres") ctx.skip(); // the hot path's own connection
    const insert = (key: string) =>
      Prisma.sql`INSERT INTO rate_limit_windows (key, "windowStart", count) VALUES (${key}, now(), 1)`;
    // PostgreSQL answers the COMMIT of a transaction whose statement failed with ROLLBACK: the caller must hear it.
    await expect(
      inLeanTransaction(async (tx) => {
        await tx.$executeRaw(insert("lean-g:1"));
        await tx.$executeRaw`SELECT 1 / 0`.catch(() => undefined);
        return "done";
      }),
    ).rejects.toThrow(/rolled back at its COMMIT/);
    // A statement of the work sent after its transaction ended would run on a connection back in the pool.
    let late: SqlTx | undefined;
    await inLeanTransaction(async (tx) => {
      late = tx;
    });
    expect(() => late?.$executeRaw(insert("lean-g:2"))).toThrow(/transaction is over/);
    expect(await keys("lean-g:")).toEqual([]);
  });

  it("a connection killed mid-transaction fails that call alone; a table that changed shape is read again", async (ctx) => {
    if (dbTarget().kind !== "postgres") ctx.skip();
    // Without a listener on the checked-out connection, its 'error' event would be uncaught (and fail this run).
    await expect(
      inLeanTransaction((tx) => tx.$executeRaw`SELECT pg_terminate_backend(pg_backend_pid())`),
    ).rejects.toThrow();
    expect(await inLeanTransaction((tx) => tx.$queryRaw`SELECT 1::int AS one`)).toEqual([{ one: 1 }]);
    // A prepared SELECT * meets a new column (as after a migration): PostgreSQL refuses the stale plan once, and the
    // transaction runs again on a fresh connection.
    await db().$executeRaw`CREATE TABLE lean_shape (a int)`;
    await db().$executeRaw`INSERT INTO lean_shape VALUES (1)`;
    const read = () => inLeanTransaction((tx) => tx.$queryRaw<Record<string, number>[]>`SELECT * FROM lean_shape`);
    for (let i = 0; i < 3; i++) expect(await read()).toEqual([{ a: 1 }]);
    await db().$executeRaw`ALTER TABLE lean_shape ADD COLUMN b int DEFAULT 2`;
    for (let i = 0; i < 3; i++) expect(await read()).toEqual([{ a: 1, b: 2 }]);
  });

  it("an idle connection is kept past node-postgres's 10 s: a runtime that paused meets warm connections", async (ctx) => {
    const target = dbTarget();
    if (target.kind !== "postgres") return ctx.skip();
    // The hot path's pool and Prisma's (both hand out their most recently used connection first).
    const backends = async () => [
      await inLeanTransaction(
        async (tx) => (await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0].pid,
      ),
      (await db().$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0].pid,
    ];
    const before = await backends();
    await new Promise((r) => setTimeout(r, 11_000));
    expect(leanPool(target.url).idleCount).toBeGreaterThan(0);
    // The same backends answer: nothing reconnected.
    expect(await backends()).toEqual(before);
  }, 30_000);
});
