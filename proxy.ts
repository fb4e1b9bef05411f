import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { CALLBACK_URL_COOKIES, cookieHeaderWithout, isUsableCallbackUrl } from "@/lib/auth/callback-url";
import { errorBody } from "@/lib/http/errors";
import { badPath, isWellEncodedPath, nulCharacter } from "@/lib/http/hostile-input";
import { contentSecurityPolicy } from "@/lib/http/security-headers.mjs";

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
  const headers = new Headers(req.headers);
  // A malformed callback-url cookie makes next-auth refuse every session read (a 500 on every page for that
  // browser): it is left out of the request and cleared in the browser.
  const malformed = CALLBACK_URL_COOKIES.filter((name) => {
    const value = req.cookies.get(name)?.value;
    return value !== undefined && !isUsableCallbackUrl(value, req.nextUrl.origin);
  });
  if (malformed.length) headers.set("cookie", cookieHeaderWithout(req.headers.get("cookie") ?? "", malformed));
  const { pathname } = req.nextUrl;
  const api = pathname.startsWith("/api/") || pathname.startsWith("/access/") || pathname.startsWith("/.well-known/");
  // A page runs only the scripts Next writes into it, each with this request's nonce: Next reads it from the request's
  // copy of the policy (every page renders per request: app/layout.tsx). The API's answers keep next.config.mjs's.
  const csp = api
    ? null
    : contentSecurityPolicy(
        process.env.NODE_ENV !== "production",
        Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64"),
      );
  if (csp) headers.set("content-security-policy", csp);
  const pass = (res: NextResponse) => {
    for (const name of malformed) res.cookies.delete(name);
    if (csp) res.headers.set("content-security-policy", csp);
    return res;
  };
  // The API (and the AuthZEN decision endpoints) authenticate each call themselves; sign-in is where signed-out
  // people go.
  if (api || pathname === "/sign-in" || pathname.startsWith("/sign-in/"))
    return pass(NextResponse.next({ request: { headers } }));
  // A NUL in a page's path or query would reach the database (a 500 page): refused as the API refuses it.
  if (/%00/.test(pathname + req.nextUrl.search)) {
    const e = nulCharacter();
    return pass(NextResponse.json(errorBody(e.code, e.message), { status: 422 }));
  }
  const requestId = req.headers.get("x-request-id") ?? crypto.randomUUID();
  headers.set("x-request-id", requestId);
  const token = await getToken({ req, secret: process.env.NEXTAUTH_SECRET });
  if (!token) {
    const url = new URL("/sign-in", req.nextUrl.origin);
    const back = req.nextUrl.pathname + req.nextUrl.search;
    if (back !== "/") url.searchParams.set("callbackUrl", back);
    return pass(NextResponse.redirect(url));
  }
  return pass(NextResponse.next({ request: { headers } }));
}

/**
 * Not the agent runtime's POST routes (agent keys, no cookies, no path parameters; where large bodies arrive): with a
 * proxy in front, Next buffers a copy of the request body and starts the route only once the whole body has arrived
 * (up to 10 MiB held per request, whatever the route's own limit, even for a caller without a key). Without it,
 * the route checks the key first, then reads the body with its own limit as it streams (lib/http/body.ts).
 * Routes with path parameters stay behind the proxy, which refuses a badly encoded path (Next's decoding throws).
 * Static files are left out at the top level only (public/ holds no folders): `/agents/%E0%A4%A.png` is a path.
 */
export const config = {
  matcher: [
    "/((?!_next/|favicon\\.ico$|api/v1/runtime/(?:authorize|usage|outcomes)$|api/v1/otlp/v1/traces$|[^/]+\\.(?:png|svg|ico|txt)$).*)",
  ],
};
