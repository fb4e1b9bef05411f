import { NextResponse } from "next/server";
import { publishedKeys } from "@/lib/domain/audit/signing-keys";

export const dynamic = "force-dynamic";

/**
 * The public keys that sign audit checkpoints (public, like any verification key). Keep a copy where the database's
 * writers cannot change it: the offline verifier checks exports against it (`--keys`).
 */
export function GET() {
  return NextResponse.json(publishedKeys(), { headers: { "cache-control": "public, max-age=300" } });
}
