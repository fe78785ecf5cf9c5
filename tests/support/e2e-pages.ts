import type { Page } from "playwright-core";

/** Signs in on the dev sign-in screen by clicking a persona, and waits for Tickets. */
export async function signInAs(page: Page, baseUrl: string, persona: RegExp): Promise<void> {
  await page.goto(baseUrl);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByRole("button", { name: persona }).click();
  await page.getByRole("heading", { name: "Tickets", level: 1 }).waitFor();
}

/** Opens a path of the app and waits for its page heading (the h1). */
export async function openPage(page: Page, url: string, heading: string | RegExp): Promise<void> {
  await page.goto(url);
  await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
}
