/**
 * The cost of signed audit checkpoints on PostgreSQL, in-process: audited changes appended one per transaction (as
 * every governed change is), with no checkpoint, with one every 1,000 events (the default cadence) and with one after
 * every event (the worst case), beside Ed25519 signing alone; each the median of BENCH_RUNS samples (at least 3).
 * Run by `npm run bench`. Env: BENCH_PG_URL (server), BENCH_SIGN_EVENTS (2000 per sample), BENCH_RUNS.
 */
import { generateKeyPairSync, sign } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pgServer, scratchDatabase } from "../scripts/harness";
import { percent, row, samples, show, summarise } from "./measure";
import "../scripts/outside-next"; // before the dynamic imports of lib/ below

const server = pgServer();
const perSample = Number(process.env.BENCH_SIGN_EVENTS ?? 2000);
const runs = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));

async function main() {
  const db = await scratchDatabase(server, "acp_bench_signing");
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), "acp-bench-keys-"));
  process.env.AUDIT_KEY_DIR = keyDir;
  try {
    const { inTransaction } = await import("../lib/db/tx");
    const { systemActor } = await import("../lib/domain/actor");
    const { writeAuditEvent } = await import("../lib/domain/audit/write-audit-event");
    const { signCheckpoint } = await import("../lib/domain/audit/checkpoints");
    const { disconnectDb } = await import("../lib/db/client");
    const actor = systemActor("bench");
    let n = 0;
    // Events per second for one sample, with a checkpoint signed after every `every` events (never when null).
    const append = (every: number | null) => async () => {
      const t = performance.now();
      for (let i = 1; i <= perSample; i++) {
        await inTransaction((tx) =>
          writeAuditEvent(
            tx,
            actor,
            {},
            {
              action: "settings.updated",
              targetType: "org_settings",
              targetId: "1",
              after: { sample: n, i },
            },
          ),
        );
        if (every && i % every === 0) await signCheckpoint({ force: true });
      }
      n++;
      return perSample / ((performance.now() - t) / 1000);
    };
    await append(null)(); // warm-up: connections, prepared plans
    const none = summarise(await samples(runs, append(null)));
    const cadence = summarise(await samples(runs, append(1000)));
    const everyEvent = summarise(await samples(runs, append(1)));
    const { privateKey } = generateKeyPairSync("ed25519");
    const payload = Buffer.from(JSON.stringify({ position: "123456", hash: "a".repeat(64) }));
    const raw = summarise(
      await samples(runs, async () => {
        const t = performance.now();
        for (let i = 0; i < 5000; i++) sign(null, payload, privateKey);
        return 5000 / ((performance.now() - t) / 1000);
      }),
    );
    await disconnectDb();
    console.log(
      `\nSigned audit checkpoints: ${perSample.toLocaleString("en-US")} audited changes a sample, one per transaction (median of ${runs} samples, min–max)\n`,
    );
    console.log("| path | ours | limit measured in this run | ratio |");
    console.log("| --- | --- | --- | --- |");
    const noSigning = show(none, 0, " events/s");
    console.log(
      row(
        "audit appends, a checkpoint every 1,000 events (default)",
        show(cadence, 0, " events/s"),
        "the same with no checkpoint",
        noSigning,
        percent(cadence.median, none.median),
      ),
    );
    console.log(
      row(
        "audit appends, a checkpoint after every event (worst case)",
        show(everyEvent, 0, " events/s"),
        "the same with no checkpoint",
        noSigning,
        percent(everyEvent.median, none.median),
      ),
    );
    console.log(`| Ed25519 signatures alone (node:crypto) | ${show(raw, 0, " signatures/s")} | — | — |`);
  } finally {
    await db.drop();
    fs.rmSync(keyDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
