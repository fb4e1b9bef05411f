import { jsonResponse } from "@/lib/http/json";
import { readiness } from "@/lib/ops/readiness";

export const dynamic = "force-dynamic";

/** Readiness: the database is reachable and the schema is up to date; 503 otherwise (take it out of rotation). */
export async function GET() {
  const r = await readiness();
  return jsonResponse({ status: r.ready ? "ready" : "not_ready", ...r }, { status: r.ready ? 200 : 503 });
}
