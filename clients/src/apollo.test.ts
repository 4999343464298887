// Apollo Client, as the publisher's apps use it: the home feed with Relay
// pagination into a normalized cache.
import assert from "node:assert/strict";
import { test } from "node:test";

import { ApolloClient, HttpLink, InMemoryCache, type NormalizedCacheObject } from "@apollo/client/core/index.js";
import { relayStylePagination } from "@apollo/client/utilities/index.js";

import { HomeFeedDocument } from "./generated/graphql.js";
import { graphqlUrl } from "./server.js";

function newClient(): ApolloClient<NormalizedCacheObject> {
  return new ApolloClient({
    link: new HttpLink({ uri: graphqlUrl }),
    cache: new InMemoryCache({
      typePolicies: { Query: { fields: { articles: relayStylePagination() } } },
    }),
  });
}

test("the home feed pages with fetchMore into one normalized list", async () => {
  const client = newClient();
  const first = await client.query({ query: HomeFeedDocument, variables: { first: 4 } });
  assert.equal(first.errors, undefined);
  const page = first.data.articles;
  assert.equal(page.edges.length, 4);
  assert.ok(page.pageInfo.hasNextPage);
  assert.ok(page.pageInfo.endCursor);

  const watcher = client.watchQuery({ query: HomeFeedDocument, variables: { first: 4 } });
  await watcher.result();
  await watcher.fetchMore({ variables: { after: page.pageInfo.endCursor } });
  const merged = watcher.getCurrentResult().data?.articles.edges ?? [];
  assert.equal(merged.length, 8, "relayStylePagination appends the second page");
  const ids = merged.map((edge) => edge.node.id);
  assert.equal(new Set(ids).size, 8, "no story twice");

  const cache = client.cache.extract();
  const firstStory = merged[0]?.node;
  assert.ok(firstStory);
  assert.ok(cache[`Article:${firstStory.id}`], "articles are normalized by id");
  const byline = firstStory.authors[0];
  assert.ok(byline);
  assert.equal(cache[`User:${byline.id}`]?.__typename, "User", "a byline is the person's User");
  assert.equal(
    Object.keys(cache).filter((key) => key.startsWith("Byline:")).length,
    0,
    "no second typename for the same person",
  );
});

test("a query sent by POST twice is answered the same, the second from the server's cache", async () => {
  const body = JSON.stringify({
    query: "query Top { articles(first: 2) { nodes { id title } } }",
    operationName: "Top",
  });
  const init = { method: "POST", headers: { "Content-Type": "application/json" }, body };
  const first = await fetch(graphqlUrl, init);
  const second = await fetch(graphqlUrl, init);
  assert.equal(first.status, 200);
  assert.deepEqual(await second.json(), await first.json());
  assert.equal(second.headers.get("ETag"), first.headers.get("ETag"));
});
