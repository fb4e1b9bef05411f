import type { Page } from "@playwright/test";
import { expect, signIn, test, tokenFor } from "../fixtures";

async function ssoSignIn(page: Page, login: string) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  // The provider's own login and consent screens.
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test("signing in through the OpenID provider creates the person with the role mapped from their groups", async ({
  page,
}) => {
  await ssoSignIn(page, "sso-admin");
  await expect(page).toHaveURL(/\/agents$/);
  await expect(page.getByTestId("current-user")).toContainText("sso-admin@idp.example");
  await expect(page.getByTestId("current-role")).toHaveText("Admin");

  // The first sign-in is in the audit trail: the account created by the SSO integration, then the sign-in.
  await page.goto("/audit?q=first%20single%20sign-on");
  // (the visible cell: on a phone the action is in the When cell instead, hidden at this size)
  await expect(
    page.getByTestId("audit-rows").getByText("user.created").filter({ visible: true }).first(),
  ).toBeVisible();
});

test("a team lead from the provider lands on their team's spend, scoped to the mapped team", async ({ page }) => {
  await ssoSignIn(page, "sso-lead");
  await expect(page).toHaveURL(/\/spend(\?|$)/);
  await expect(page.getByTestId("current-role")).toHaveText("Team lead");
  await page.goto("/agents");
  // Support's agents only (other specs may add some to Support while this runs).
  await expect(page.getByTestId("agent-rows")).toContainText("support-triage");
  await expect(page.getByTestId("agent-rows")).not.toContainText("code-reviewer");
});

test("an e-mail the provider has not verified, or has not said it verified, does not sign in (people are matched by e-mail)", async ({
  browser,
}) => {
  // A context each: the provider keeps its own session.
  for (const account of ["sso-unverified", "sso-unsaid"]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await ssoSignIn(page, account);
    await expect(page).toHaveURL(/\/sign-in\?error=EmailNotVerified/);
    await expect(page.getByText("Your identity provider has not verified your e-mail address")).toBeVisible();
    await context.close();
  }
});

test("another provider account given the same e-mail does not sign in as that person (people are bound to their account)", async ({
  browser,
}) => {
  // sso-admin signs in (first, or again): the person is bound to that provider account.
  const first = await browser.newContext();
  const admin = await first.newPage();
  await ssoSignIn(admin, "sso-admin");
  await expect(admin).toHaveURL(/\/agents$/);
  await first.close();
  // sso-reused carries the same verified e-mail from another account: refused, with the reason.
  const context = await browser.newContext();
  const page = await context.newPage();
  await ssoSignIn(page, "sso-reused");
  await expect(page).toHaveURL(/\/sign-in\?error=SubjectMismatch/);
  await expect(page.getByText("signs in with another account at your identity provider")).toBeVisible();
  await context.close();
});

test("an admin unlinks a person from their provider account in the console; their next sign-in binds them again", async ({
  browser,
  page,
  request,
}) => {
  // sso-relink signs in: bound to that provider account.
  const first = await browser.newContext();
  const relink = await first.newPage();
  await ssoSignIn(relink, "sso-relink");
  await expect(relink).toHaveURL(/\/(agents|spend)/);
  await first.close();
  const admin = await tokenFor(browser, "admin");
  const people = await (
    await request.get("/api/v1/users?q=sso-relink", { headers: { Authorization: `Bearer ${admin}` } })
  ).json();
  const person = people.items.find((p: { email: string }) => p.email === "sso-relink@idp.example");
  expect(person).toMatchObject({ ssoLinked: true });
  // An admin (password) unlinks them on their page, confirmed.
  await signIn(page, "admin");
  await page.goto(`/people/${person.id}`);
  await page.getByRole("button", { name: /Unlink .*single sign-on account/ }).click();
  const asked = page.getByRole("alertdialog", { name: /unlink .* identity provider account\?/i });
  await asked.getByRole("button", { name: /Unlink/ }).click();
  await expect(page.getByText("Unlinked: their next single sign-on")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("button", { name: /Unlink .*single sign-on account/ })).toHaveCount(0);
  // Their next sign-in binds them again.
  const again = await browser.newContext();
  const back = await again.newPage();
  await ssoSignIn(back, "sso-relink");
  await expect(back).toHaveURL(/\/(agents|spend)/);
  await again.close();
});
