import { createHash } from "node:crypto";
import path from "node:path";
// Relative, not "@/": scripts/db.ts (npm run db:reset) loads this from a project folder of its own in its test.
import { dbTarget } from "../../db/config";

/** Where the audit signing keys live, outside the database (see signing-keys.ts). */
export function auditKeyDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AUDIT_KEY_DIR?.trim()) return path.resolve(env.AUDIT_KEY_DIR.trim());
  const pglite = env.DATABASE_URL?.trim() ? null : env.PGLITE_DIR?.trim();
  return pglite ? `${path.resolve(pglite)}-audit-keys` : path.join(process.cwd(), ".data", "audit-keys");
}

/**
 * The file beside the keys that remembers the last checkpoint signed on this database (checkpoints.ts), named by the
 * database's server and name, or the embedded one's folder: not by anything its writers can change.
 */
export function lastCheckpointFile(env: NodeJS.ProcessEnv = process.env): string {
  const t = dbTarget(env);
  const where =
    t.kind === "postgres"
      ? (({ hostname, port, pathname }) => `${hostname}:${port || 5432}${pathname}`)(new URL(t.url))
      : path.resolve(t.dataDir);
  const id = createHash("sha256").update(where).digest("hex").slice(0, 16);
  return path.join(auditKeyDir(env), `last-checkpoint-${id}.json`);
}
