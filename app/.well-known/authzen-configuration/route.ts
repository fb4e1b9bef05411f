import { NextResponse } from "next/server";
import { errorBody } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

/**
 * AuthZEN 1.0 policy decision point metadata (public). The identifier is this installation's public URL
 * (NEXTAUTH_URL), which must be the URL a policy enforcement point built this well-known address from.
 */
export function GET() {
  const base = URL.parse(process.env.NEXTAUTH_URL ?? "http://localhost:3000")?.origin;
  if (!base)
    return NextResponse.json(errorBody("internal_error", "NEXTAUTH_URL is not a URL: set the console's public URL"), {
      status: 503,
    });
  return NextResponse.json({
    policy_decision_point: base,
    access_evaluation_endpoint: `${base}/access/v1/evaluation`,
    access_evaluations_endpoint: `${base}/access/v1/evaluations`,
  });
}
