import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { errorBody } from "@/lib/http/errors";
import { badPath, isWellEncodedPath } from "@/lib/http/hostile-input";

/**
 * Sends signed-out people to sign-in. This is only the first gate: every page, server action and route
 * handler checks the session and role again on the server. The HTTP API answers 401 itself.
 */
export async function proxy(req: NextRequest) {
  // A path that is not percent-encoded UTF-8 (`/agents/%E0%A4%A`) cannot be routed: Next's decoding of it throws.
  if (!isWellEncodedPath(req.nextUrl.pathname)) {
    const e = badPath();
    return NextResponse.json(errorBody(e.code, e.message), { status: 400 });
  }
  if (req.nextUrl.pathname.startsWith("/api/")) return NextResponse.next(); // the API authenticates each call itself
  const requestId = req.headers.get("x-request-id") ?? crypto.randomUUID();
  const headers = new Headers(req.headers);
  headers.set("x-request-id", requestId);
  const token = await getToken({ req, secret: process.env.NEXTAUTH_SECRET });
  if (!token) {
    const url = new URL("/sign-in", req.nextUrl.origin);
    const back = req.nextUrl.pathname + req.nextUrl.search;
    if (back !== "/") url.searchParams.set("callbackUrl", back);
    return NextResponse.redirect(url);
  }
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!_next/|sign-in|favicon.ico|.*\\.(?:png|svg|ico|txt)$).*)"],
};
