import { jsonResponse } from "@/lib/http/json";

export const dynamic = "force-dynamic";

/** Liveness: the process serves requests. It does not touch the database (that is /api/ready). */
export function GET() {
  return jsonResponse({ status: "ok", uptimeSeconds: Math.round(process.uptime()) });
}
