/**
 * Offline check of an NDJSON audit export:  npx tsx scripts/verify-audit-export.ts audit.ndjson
 * A thin CLI over lib/domain/audit/verify-export.ts (see README, "Verifying an audit export offline").
 * Exit 0 when intact, 1 with the first bad position otherwise, 2 on usage errors.
 */
import fs from "node:fs";
import readline from "node:readline";
import { createExportVerifier, describeVerdict } from "../lib/domain/audit/verify-export";

async function main(file: string): Promise<number> {
  const verifier = createExportVerifier();
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) if (verifier.push(line)) break;
  lines.close();
  const verdict = verifier.end();
  console.log(describeVerdict(verdict));
  return verdict.intact ? 0 : 1;
}

const file = process.argv[2];
if (!file) {
  console.error("usage: npx tsx scripts/verify-audit-export.ts <export.ndjson>");
  process.exit(2);
}
main(file).then((code) => process.exit(code));
