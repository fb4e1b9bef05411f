import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";

/**
 * Sends signed-out people to sign-in. This is only the first gate: every page, server action and route
 * handler checks the session and role again on the server. The HTTP API answers 401 itself.
 */
export async function proxy(req: NextRequest) {
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
  matcher: ["/((?!api/|_next/|sign-in|favicon.ico|.*\\.(?:png|svg|ico|txt)$).*)"],
};
