/**
 * Offline check of an NDJSON audit export:
 *   npx tsx scripts/verify-audit-export.ts audit.ndjson [--keys acp-audit-keys.json]
 * A thin CLI over lib/domain/audit/verify-export.ts (see README, "Verifying an audit export offline"). With --keys
 * (the installation's /.well-known/acp-audit-keys.json, kept where the database's writers cannot change it) every
 * signed checkpoint's signature is checked, so a rewrite with every hash recomputed, or a truncated tail, is found.
 * Exit 0 when intact, 1 with the first bad position otherwise, 2 on usage errors.
 */
import fs from "node:fs";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { publicKeysOf } from "../lib/domain/audit/checkpoint-format";
import { createExportVerifier, describeVerdict } from "../lib/domain/audit/verify-export";

async function main(file: string, keysFile?: string): Promise<number> {
  const keys = keysFile ? publicKeysOf(JSON.parse(fs.readFileSync(keysFile, "utf8"))) : undefined;
  if (keysFile && !keys?.size) {
    console.error(`${keysFile} holds no Ed25519 public key`);
    return 2;
  }
  const verifier = createExportVerifier({ keys });
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) if (verifier.push(line)) break;
  lines.close();
  const verdict = verifier.end();
  console.log(describeVerdict(verdict));
  return verdict.intact ? 0 : 1;
}

const { values, positionals } = parseArgs({ options: { keys: { type: "string" } }, allowPositionals: true });
if (positionals.length !== 1) {
  console.error("usage: npx tsx scripts/verify-audit-export.ts <export.ndjson> [--keys acp-audit-keys.json]");
  process.exit(2);
}
main(positionals[0], values.keys).then((code) => process.exit(code));
