import http from "node:http";
import { type APIRequestContext, type BrowserContext, expect, type Page } from "@playwright/test";

/** A person made by an admin through the API (their password is admin-set, so one-time). */
export async function createPerson(request: APIRequestContext, adminToken: string, tag: string, role = "viewer") {
  const email = `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@acp.local`;
  const password = `first-pass-${Math.random().toString(36).slice(2, 10)}`;
  const res = await request.post("/api/v1/users", {
    headers: { Authorization: `Bearer ${adminToken}` },
    data: { email, name: `Person ${tag}`, role, password },
  });
  expect(res.status()).toBe(201);
  return { id: (await res.json()).id as string, email, password };
}

/** Signs in through the sign-in page; lands wherever the app sends them (the agents page, or the change-password page). */
export async function signInWith(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

/** Completes the one-time password change asked at first sign-in, when it is asked; returns the password now in force. */
export async function settlePassword(page: Page, current: string): Promise<string> {
  // A full page load follows the server's redirects to the end: the console, or the change-password page.
  await page.goto("/agents");
  if (!page.url().includes("/change-password")) return current;
  const next = `${current}-mine`;
  await page.getByLabel("Current password").fill(current);
  await page.getByLabel("New password", { exact: true }).fill(next);
  await page.getByLabel("New password again").fill(next);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/agents$/);
  return next;
}

export async function cookieHeader(context: BrowserContext) {
  return (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
}

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** A plain HTTP call from a chosen local address (127.0.0.x all reach the server on 127.0.0.1). */
export function rawCall(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {},
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: opts.method ?? "GET", headers: opts.headers, localAddress: opts.from },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

const cookiesOf = (r: Raw) => (r.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]);

/** next-auth's credentials sign-in, scripted: { ok, error, cookie }. */
export async function scriptedSignIn(
  baseURL: string,
  email: string,
  password: string,
  from: string,
  extraHeaders: Record<string, string> = {},
) {
  const csrf = await rawCall(`${baseURL}/api/auth/csrf`, { from, headers: extraHeaders });
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const res = await rawCall(`${baseURL}/api/auth/callback/credentials`, {
    method: "POST",
    from,
    headers: {
      ...extraHeaders,
      cookie: cookiesOf(csrf).join("; "),
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: baseURL }).toString(),
  });
  const session = cookiesOf(res).find((c) => c.startsWith("next-auth.session-token="));
  let error: string | null = null;
  try {
    error = new URL(JSON.parse(res.body).url).searchParams.get("error");
  } catch {
    error = `status ${res.status}`;
  }
  return { ok: !!session && !error, error, cookie: session ?? null };
}
