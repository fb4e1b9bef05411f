import "server-only";
import type { Db } from "@/lib/db/client";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/db/tx";
import { GENESIS_HASH } from "./hash";

/** Where the chain starts: positions up to `position` were pruned under retention (0 and the genesis hash if none). */
export async function auditBase(client: Tx | Db = db()): Promise<{ position: bigint; hash: string }> {
  const row = await client.auditBase.findUnique({ where: { id: 1 } });
  return { position: row?.position ?? 0n, hash: row?.hash ?? GENESIS_HASH };
}
