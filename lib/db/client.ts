import "server-only";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { dbTarget } from "./config";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;

type Holder = { prisma?: PrismaClient; pglite?: PGlite };
// One client (and, for the embedded default, one PGlite instance) per process, surviving dev reloads:
// two PGlite instances on one data folder corrupt it.
const holder = globalThis as unknown as { __acpDb?: Holder };
holder.__acpDb ??= {};

function create(): PrismaClient {
  const target = dbTarget();
  if (target.kind === "postgres") {
    return new PrismaClient({
      adapter: new PrismaPg({ connectionString: target.url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) }),
    });
  }
  const pglite = new PGlite({ dataDir: target.dataDir });
  holder.__acpDb!.pglite = pglite;
  return new PrismaClient({ adapter: new PrismaPGlite(pglite) });
}

export function db(): PrismaClient {
  const h = holder.__acpDb!;
  h.prisma ??= create();
  return h.prisma;
}

export async function disconnectDb(): Promise<void> {
  const h = holder.__acpDb!;
  await h.prisma?.$disconnect();
  await h.pglite?.close();
  h.prisma = undefined;
  h.pglite = undefined;
}
