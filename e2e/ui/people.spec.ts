import type { Browser } from "@playwright/test";
import { expect, sameOrigin, signIn, test, uniqueSlug } from "../fixtures";

async function signInAs(browser: Browser, email: string, password: string) {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  return page;
}

test("admin adds a team lead, changes their role and deactivates them; each change applies at their next request", async ({
  page,
  browser,
}) => {
  const tag = uniqueSlug("p");
  const email = `tara-${tag}@acp.local`;
  const password = "tara-long-password";
  await signIn(page, "admin");
  await page.getByRole("link", { name: "People" }).click();
  await expect(page.getByRole("heading", { name: "People and teams" })).toBeVisible();
  await expect(page.getByTestId("people-rows")).toContainText("admin@acp.local");

  // A new team, then a team lead without a team: refused with a field error, what was typed is kept.
  await page.getByLabel("Team name").fill(`Finance ${tag}`);
  await page.getByLabel("Slug").fill(`fin-${tag}`);
  await page.getByRole("button", { name: "Add team" }).click();
  await expect(page.getByTestId("team-rows")).toContainText(`fin-${tag}`);

  const form = page.getByRole("form", { name: "Add person" });
  await form.getByLabel("Name").fill("Tara Lead");
  await form.getByLabel("E-mail").fill(email);
  await form.getByLabel("Role").selectOption("team_lead");
  await form.getByLabel("First password").fill(password);
  await form.getByRole("button", { name: "Add person" }).click();
  await expect(form.getByText("a team lead needs at least one team")).toBeVisible();
  await expect(form.getByLabel("E-mail")).toHaveValue(email);

  await form.getByLabel("Data & Analytics").check();
  await form.getByRole("button", { name: "Add person" }).click();
  await expect(page.getByText("Tara Lead was added.")).toBeVisible();
  const personUrl = page.url();

  // The first password an admin gives is one-time: at her first sign-in Tara must choose her own, proving
  // she knows the one she was given; nothing else opens before that.
  const tara = await signInAs(browser, email, password);
  await expect(tara).toHaveURL(/\/change-password$/);
  await tara.goto("/agents");
  await expect(tara).toHaveURL(/\/change-password$/);
  const newPassword = "tara-own-password";
  const pw = tara.getByRole("form", { name: "Change your password" });
  await pw.getByLabel("Current password").fill("not-the-password");
  await pw.getByLabel("New password", { exact: true }).fill(newPassword);
  await pw.getByLabel("New password again").fill(newPassword);
  await pw.getByRole("button", { name: "Change password" }).click();
  await expect(pw.getByText("is not your current password")).toBeVisible();
  await pw.getByLabel("Current password").fill(password);
  await pw.getByRole("button", { name: "Change password" }).click();

  // Tara leads Data & Analytics: she lands on spend and sees only that team's agents.
  await expect(tara).toHaveURL(/\/spend(\?|$)/);
  await tara.goto("/agents");
  const rows = tara.getByTestId("agent-rows").locator("tr");
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allInnerTexts()) expect(text).toContain("Data & Analytics");
  await expect(tara.getByTestId("current-role")).toHaveText("Team lead");

  // The admin makes her a viewer: her next page shows the whole organisation, read-only.
  await page.getByLabel("Role").selectOption("viewer");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved. The change applies")).toBeVisible();
  await tara.goto("/agents");
  await expect(tara.getByTestId("current-role")).toHaveText("Viewer");
  await expect(tara.getByTestId("agent-rows")).toContainText("support-triage");

  // Deactivated: her next request sends her to sign-in, and her password no longer works.
  await page.getByRole("button", { name: "Deactivate Tara Lead" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Deactivate Tara Lead" }).click();
  await expect(page.getByRole("button", { name: "Reactivate Tara Lead" })).toBeVisible();
  await tara.goto("/agents");
  await expect(tara).toHaveURL(/\/sign-in/);
  const again = await signInAs(browser, email, newPassword);
  await expect(again.getByTestId("sign-in-error")).toBeVisible();

  // Every step is in the audit trail, newest first, sign-ins included.
  await page.goto(personUrl);
  await page.getByRole("link", { name: /History in the audit trail/ }).click();
  await expect(page.getByTestId("audit-rows").locator("tr").first()).toBeVisible();
  const actions = (await page.getByTestId("audit-rows").locator("tr").allInnerTexts()).map(
    (t) => t.match(/user\.[a-z_]+/)?.[0],
  );
  expect(actions).toEqual([
    "user.sign_in_failed",
    "user.deactivated",
    "user.updated",
    "user.password_changed",
    "user.sign_in_failed", // the wrong current password on the change form
    "user.signed_in",
    "user.created",
  ]);
});

test("viewers have no People page and cannot manage people through the API", async ({ page }) => {
  await signIn(page, "viewer");
  await expect(page.getByRole("link", { name: "People" })).toHaveCount(0);
  await page.goto("/people");
  await expect(page.getByText("open to admins and auditors")).toBeVisible();
  expect((await page.request.get("/api/v1/users")).status()).toBe(403);
  const res = await page.request.post("/api/v1/users", {
    headers: sameOrigin(page),
    data: { email: "sneaky@acp.local", name: "Sneaky", role: "admin" },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe("forbidden");
});
