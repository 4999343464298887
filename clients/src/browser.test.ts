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

let browser: Browser;

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
  await browser.close();
});

/** A page that records requests to other hosts and console errors. */
async function watchedPage(): Promise<{ page: Page; outside: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const outside: string[] = [];
  const errors: string[] = [];
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

test("Swagger UI at /docs/ renders every operation, offline", async () => {
  const { page, outside, errors } = await watchedPage();
  await page.goto(`${site}/docs/`, { waitUntil: "networkidle" });
  await page.locator(".swagger-ui .opblock").first().waitFor();
  const operations = await page.locator(".swagger-ui .opblock").count();
  assert.ok(operations >= 30, `Swagger UI lists the operations (${operations})`);
  await page.getByText("/api/v1/articles/{id_or_slug}/publish").first().waitFor();
  await page.screenshot({ path: new URL("docs.png", artifacts).pathname, fullPage: false });
  assert.deepEqual(outside, [], "no request leaves the host");
  assert.deepEqual(errors, [], "no console error");
  await page.close();
});

test("GraphiQL at /graphql loads the schema into its docs explorer", async () => {
  const { page, outside, errors } = await watchedPage();
  await page.goto(`${site}/graphql`, { waitUntil: "networkidle" });
  await page.getByRole("button", { name: /Documentation Explorer/ }).click();
  const explorer = page.locator(".graphiql-doc-explorer");
  await explorer.getByText("Query", { exact: true }).first().waitFor();
  await explorer.getByText("Subscription", { exact: true }).first().waitFor();
  await explorer.getByText("Article", { exact: true }).first().waitFor();
  await explorer.getByText("Comment", { exact: true }).first().waitFor();
  await page.screenshot({ path: new URL("graphiql.png", artifacts).pathname, fullPage: false });
  await explorer.getByText("Query", { exact: true }).first().click();
  await explorer.getByText("articles", { exact: true }).first().waitFor();
  await page.screenshot({ path: new URL("graphiql-query.png", artifacts).pathname, fullPage: false });
  assert.deepEqual(outside, [], "no request leaves the host");
  assert.deepEqual(errors, [], "no console error");
  await page.close();
});
