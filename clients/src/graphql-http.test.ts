// The GraphQL over HTTP spec's server audits, from the graphql-http package.
// Every MUST is required by the issue; Newsdesk passes the SHOULDs and MAYs
// too, and keeps to them: any audit that stops passing fails the suite.
import assert from "node:assert/strict";
import { test } from "node:test";

import { serverAudits } from "graphql-http";

import { graphqlUrl } from "./server.js";

for (const audit of serverAudits({ url: graphqlUrl })) {
  test(`graphql-http ${audit.id}: ${audit.name}`, async () => {
    const result = await audit.fn();
    if (result.status !== "ok") {
      assert.fail(`${result.status}: ${result.reason} (answered ${result.response.status})`);
    }
  });
}
