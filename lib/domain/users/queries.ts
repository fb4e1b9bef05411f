import { db } from "@/lib/db/client";

export async function displayName(userId: string): Promise<string | null> {
  return (await db().user.findUnique({ where: { id: userId }, select: { name: true } }))?.name ?? null;
}
