/**
 * Offline check of an NDJSON audit export:  npx tsx scripts/verify-audit-export.ts audit.ndjson
 * Recomputes every event's SHA-256 over its canonical JSON (the same function the server uses) and checks that
 * each event's prevHash is the hash of the event before it when their positions are consecutive. A full,
 * unfiltered export therefore verifies the whole chain; a filtered one verifies each event and every
 * consecutive run. Exit 0 when intact, 1 with the first bad position otherwise.
 */
import fs from "node:fs";
import readline from "node:readline";
import { auditHash, GENESIS_HASH, type AuditHashInput } from "../lib/domain/audit/hash";

async function main(file: string): Promise<number> {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let prev: { position: bigint; hash: string } | null = null;
  let checked = 0;
  for await (const line of lines) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as AuditHashInput & { hash: string };
    const position = BigInt(e.position);
    if (auditHash(e) !== e.hash) {
      console.log(`BROKEN at position ${position}: its content does not match its hash`);
      return 1;
    }
    const expectedPrev = position === 1n ? GENESIS_HASH : prev && prev.position + 1n === position ? prev.hash : null;
    if (expectedPrev !== null && e.prevHash !== expectedPrev) {
      console.log(`BROKEN at position ${position}: it does not link to the event before it`);
      return 1;
    }
    if (prev && position <= prev.position) {
      console.log(`BROKEN at position ${position}: positions are not increasing`);
      return 1;
    }
    prev = { position, hash: e.hash };
    checked++;
  }
  console.log(`INTACT: ${checked} events verified${prev ? ` (last position ${prev.position})` : ""}`);
  return 0;
}

const file = process.argv[2];
if (!file) {
  console.error("usage: npx tsx scripts/verify-audit-export.ts <export.ndjson>");
  process.exit(2);
}
main(file).then((code) => process.exit(code));
