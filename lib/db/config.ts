import path from "node:path";

/** Where the data lives: PostgreSQL when DATABASE_URL is set, else the embedded PGlite folder. */
export type DbTarget = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };

export function dbTarget(env: Record<string, string | undefined> = process.env): DbTarget {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(`DATABASE_URL must be a postgresql:// URL (got "${url.split(":")[0]}:")`);
    }
    return { kind: "postgres", url };
  }
  const dataDir = env.PGLITE_DIR?.trim() || path.join(process.cwd(), ".data", "pglite");
  return { kind: "pglite", dataDir };
}

export function describeTarget(t: DbTarget): string {
  return t.kind === "postgres"
    ? `PostgreSQL ${t.url.replace(/\/\/[^@]*@/, "//***@")}`
    : `embedded PGlite at ${t.dataDir}`;
}
