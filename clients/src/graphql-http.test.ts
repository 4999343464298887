// The GraphQL over HTTP spec's server audits, from the graphql-http package:
// every MUST passes; SHOULD and MAY findings are printed.
import assert from "node:assert/strict";
import { test } from "node:test";

import { serverAudits } from "graphql-http";

import { graphqlUrl } from "./server.js";

for (const audit of serverAudits({ url: graphqlUrl })) {
  test(`graphql-http ${audit.id}: ${audit.name}`, async (t) => {
    const result = await audit.fn();
    if (result.status === "ok") {
      return;
    }
    if (audit.name.startsWith("MUST")) {
      assert.fail(`${result.reason} (answered ${result.response.status})`);
    }
    t.diagnostic(`${result.status}: ${result.reason}`);
  });
}
