/**
 * npm run db:migrate -- --name <change>   create a migration from schema changes
 * npm run db:deploy                        apply pending migrations
 * npm run db:status                        exit 1 when the database is not up to date
 * npm run db:reset                         drop everything and re-apply (asks for --force)
 * Target: DATABASE_URL (postgresql://...) or the embedded PGlite folder (PGLITE_DIR, default .data/pglite).
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { dbTarget, describeTarget } from "../lib/db/config";
import { createMigration, deployMigrations, migrationStatus, resetDatabase } from "../lib/db/migrate";
import { lastCheckpointFile } from "../lib/domain/audit/key-dir";

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { name: { type: "string" }, force: { type: "boolean", default: false } },
  });
  const command = positionals[0];
  switch (command) {
    case "create": {
      if (!values.name) {
        console.error("usage: npm run db:migrate -- --name <change>");
        return 2;
      }
      const created = await createMigration(values.name);
      console.log(
        created ? `Created prisma/migrations/${created}/migration.sql` : "No schema changes: nothing to create.",
      );
      return 0;
    }
    case "deploy": {
      const target = dbTarget();
      const applied = await deployMigrations(target);
      console.log(
        `${describeTarget(target)}: ${applied.length ? `applied ${applied.join(", ")}` : "already up to date"}`,
      );
      return 0;
    }
    case "status": {
      const target = dbTarget();
      const s = await migrationStatus(target);
      console.log(`${describeTarget(target)}: ${s.applied} applied`);
      if (s.pending.length) console.log(`pending: ${s.pending.join(", ")}`);
      if (s.notInFolder.length) console.log(`applied but not in prisma/migrations: ${s.notInFolder.join(", ")}`);
      if (s.failed.length) console.log(`failed: ${s.failed.join(", ")}`);
      if (s.edited.length) console.log(`edited after being applied: ${s.edited.join(", ")}`);
      console.log(s.upToDate ? "Database schema is up to date." : "Database schema is NOT up to date.");
      return s.upToDate ? 0 : 1;
    }
    case "reset": {
      const target = dbTarget();
      if (!values.force) {
        console.error(`This drops every table in ${describeTarget(target)}. Re-run with --force to confirm.`);
        return 2;
      }
      const applied = await resetDatabase(target);
      // A new audit trail: the memory of the last checkpoint signed on the old one goes with it.
      const memory = lastCheckpointFile();
      if (fs.existsSync(memory)) {
        fs.rmSync(memory);
        console.log(`removed ${memory} (the last audit checkpoint signed on the old trail)`);
      }
      console.log(`${describeTarget(target)}: reset; applied ${applied.length} migration(s)`);
      return 0;
    }
    default:
      console.error("usage: tsx scripts/db.ts <create --name X | deploy | status | reset --force>");
      return 2;
  }
}

// The Wasm engine leaves a timer armed: exit explicitly with our own code.
main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
