import fs from "node:fs";
import path from "node:path";
import { db } from "@/lib/db/client";

/** Ready: the database answers and every committed migration is applied (read from Prisma's own table). */
export async function readiness(): Promise<{
  ready: boolean;
  database: "ok" | "unreachable";
  pendingMigrations: string[];
}> {
  const dir = path.join(process.cwd(), "prisma", "migrations");
  const committed = fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  let applied: string[];
  try {
    const rows = await db().$queryRaw<
      { name: string }[]
    >`SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    applied = rows.map((r) => r.name);
  } catch {
    try {
      await db().$queryRaw`SELECT 1`;
      return { ready: false, database: "ok", pendingMigrations: committed };
    } catch {
      return { ready: false, database: "unreachable", pendingMigrations: committed };
    }
  }
  const pending = committed.filter((m) => !applied.includes(m));
  return { ready: pending.length === 0, database: "ok", pendingMigrations: pending };
}
