import { type APIRequestContext, type Browser, expect } from "@playwright/test";
import { REGISTRY, ROLES } from "./registry";
import { auditWatch, inParallel, scanRoutes, setUp } from "./shared";

/** The registry lists every API route file and method. */
export function checkRegistry() {
  const scanned = scanRoutes()
    .map((r) => `${r.method} ${r.route}`)
    .sort();
  const listed = REGISTRY.map((e) => `${e.method} ${e.route}`).sort();
  expect(listed).toEqual(scanned);
}

/** Every route × every role: the right status, and denied calls change nothing. */
export async function runRoleMatrix(request: APIRequestContext, browser: Browser) {
  const { creds, ids, auditorAuth } = await setUp(request, browser);
  let checked = 0;
  const failures: string[] = [];
  const audit = await auditWatch(request, auditorAuth, "matrix");
  // Each route × role is one job, a few at a time (inParallel): the audit check attributes events by request id.
  const jobs = REGISTRY.filter((e) => !e.skip).flatMap((entry) =>
    ROLES.map((role) => async () => {
      const requestId = audit.id();
      const res = await request.fetch(entry.path(ids), {
        method: entry.method,
        headers: { ...creds[role], "content-type": "application/json", "x-request-id": requestId },
        data:
          entry.body === undefined
            ? undefined
            : JSON.stringify(typeof entry.body === "function" ? entry.body(ids) : entry.body),
        maxRedirects: 0,
      });
      const status = res.status();
      checked++;
      const label = `${role.padEnd(7)} ${entry.method} ${entry.route} → ${status}`;
      if (status >= 500) failures.push(`${label}: server error`);
      const allowed = entry.allow.includes(role);
      audit.sent(requestId, !allowed, label);
      if (allowed) {
        if ([401, 403].includes(status)) failures.push(`${label}: should be allowed`);
      } else {
        const expected =
          role === "anon" || role === "agent" || entry.allow.includes("agent")
            ? [401]
            : entry.hidden?.includes(role)
              ? [404]
              : [403, 404];
        if (!expected.includes(status)) failures.push(`${label}: expected ${expected.join(" or ")}`);
      }
      if (status >= 400) {
        const body = await res.json().catch(() => null);
        if (!body?.error?.code) failures.push(`${label}: no error envelope`);
      }
    }),
  );
  await inParallel(jobs);
  failures.push(...(await audit.done()));
  console.log(
    `[matrix] ${REGISTRY.filter((e) => !e.skip).length} route methods × ${ROLES.length} roles = ${checked} calls checked`,
  );
  expect(failures).toEqual([]);
}
