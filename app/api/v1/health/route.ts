import { db } from "@/lib/db/client";
import { jsonResponse } from "@/lib/http/json";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    await db().$queryRaw`SELECT 1`;
    return jsonResponse({ status: "ok" });
  } catch {
    return jsonResponse({ status: "unavailable" }, { status: 503 });
  }
}
