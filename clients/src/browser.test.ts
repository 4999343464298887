// Headless Chromium opens the two pages people browse: Swagger UI at /docs/
// and GraphiQL at /graphql. The service is reached under a name that is not
// loopback (as on a real host); nothing may leave it and nothing may log an
// error. Screenshots go to artifacts/.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, test } from "node:test";

import { chromium, type Browser, type Page } from "playwright-core";

import { baseUrl } from "./server.js";

const port = new URL(baseUrl).port;
const host = `newsdesk.test:${port}`;
const site = `http://${host}`;
const artifacts = new URL("../artifacts/", import.meta.url);

let browser: Browser | undefined;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // newsdesk.test is the loopback server; every other name fails to resolve.
      `--host-resolver-rules=MAP newsdesk.test 127.0.0.1, MAP * ~NOTFOUND`,
    ],
  });
});

after(async () => {
  await browser?.close();
});

/** A page that records requests to other hosts and console errors. */
async function watchedPage(): Promise<{ page: Page; outside: string[]; errors: string[] }> {
  assert.ok(browser, "Chromium started");
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const outside: string[] = [];
  const errors: string[] = [];
  page.on("websocket", (socket) => {
    if (new URL(socket.url()).host !== host) {
      outside.push(socket.url());
    }
  });
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol !== "data:" && url.protocol !== "blob:" && url.host !== host) {
      outside.push(request.url());
    }
  });
  page.on("console", (message) => {
    if (message.type() === "error") {
      errors.push(`${message.text()} (${message.location().url})`);
    }
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return { page, outside, errors };
}

/** Runs `steps` on a watched page; its last state is kept as `screenshot`, pass or fail. */
async function onPage(
  screenshot: string,
  steps: (page: Page) => Promise<void>,
): Promise<{ outside: string[]; errors: string[] }> {
  const { page, outside, errors } = await watchedPage();
  try {
    await steps(page);
  } finally {
    await page.screenshot({ path: new URL(screenshot, artifacts).pathname });
    await page.close();
  }
  return { outside, errors };
}

test("Swagger UI at /docs/ renders every operation, offline", async () => {
  const { outside, errors } = await onPage("docs.png", async (page) => {
    await page.goto(`${site}/docs/`, { waitUntil: "networkidle" });
    await page.locator(".swagger-ui .opblock").first().waitFor();
    const operations = await page.locator(".swagger-ui .opblock").count();
    assert.ok(operations >= 30, `Swagger UI lists the operations (${operations})`);
    await page.getByText("/api/v1/articles/{id_or_slug}/publish").first().waitFor();
  });
  assert.deepEqual(outside, [], "no request leaves the host");
  assert.deepEqual(errors, [], "no console error");
});

test("GraphiQL at /graphql loads the schema into its docs explorer", async () => {
  const { outside, errors } = await onPage("graphiql.png", async (page) => {
    await page.goto(`${site}/graphql`, { waitUntil: "networkidle" });
    await page.getByRole("button", { name: /Documentation Explorer/ }).click();
    const explorer = page.locator(".graphiql-doc-explorer");
    for (const type of ["Query", "Mutation", "Subscription", "Article", "Comment", "Category", "User"]) {
      await explorer.getByText(type, { exact: true }).first().waitFor();
    }
    await explorer.getByText("Query", { exact: true }).first().click();
    await explorer.getByText("articles", { exact: true }).first().waitFor();
  });
  assert.deepEqual(outside, [], "no request leaves the host");
  assert.deepEqual(errors, [], "no console error");
});
