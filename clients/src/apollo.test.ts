// Apollo Client, as the publisher's apps use it: the home feed with Relay
// pagination into a normalized cache.
import assert from "node:assert/strict";
import { test } from "node:test";

import { ApolloClient, HttpLink, InMemoryCache, type NormalizedCacheObject } from "@apollo/client/core/index.js";
import { loadDevMessages, loadErrorMessages } from "@apollo/client/dev/index.js";
import { relayStylePagination } from "@apollo/client/utilities/index.js";

import { HomeFeedDocument, SearchDocument } from "./generated/graphql.js";
import { graphqlUrl, statementsRun } from "./server.js";

// Apollo's warnings in words, not as links to its website.
loadDevMessages();
loadErrorMessages();

function newClient(): ApolloClient<NormalizedCacheObject> {
  return new ApolloClient({
    link: new HttpLink({ uri: graphqlUrl }),
    cache: new InMemoryCache({
      // Each filter (a search, a section) is a list of its own.
      typePolicies: { Query: { fields: { articles: relayStylePagination(["filter"]) } } },
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

  // What a feed screen does: watch the query, and fetch more on scroll.
  const watcher = client.watchQuery({ query: HomeFeedDocument, variables: { first: 4 } });
  const watching = watcher.subscribe(() => {});
  await watcher.fetchMore({ variables: { after: page.pageInfo.endCursor } });
  const merged = watcher.getCurrentResult().data?.articles.edges ?? [];
  watching.unsubscribe();
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

test("an anonymous query sent by POST again is answered from the server's cache", async () => {
  const body = JSON.stringify({
    query: "query Top { articles(first: 2) { nodes { id title } } }",
    operationName: "Top",
  });
  const init = { method: "POST", headers: { "Content-Type": "application/json" }, body };
  const first = await fetch(graphqlUrl, init);
  assert.equal(first.status, 200);
  const expected: unknown = await first.json();
  // The scheduler's once-a-second check may land between the two readings
  // of the counter; without the cache every attempt would run the feed's SQL.
  const ranSql: number[] = [];
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const before = await statementsRun();
    const again = await fetch(graphqlUrl, init);
    assert.deepEqual(await again.json(), expected);
    ranSql.push((await statementsRun()) - before);
    if (ranSql.at(-1) === 0) {
      return;
    }
  }
  assert.fail(`every repeat ran SQL (${ranSql.join(", ")} statements): not answered from the cache`);
});

test("a search screen gets its matches and the counts to refine them by", async () => {
  const client = newClient();
  await client.query({ query: HomeFeedDocument, variables: { first: 4 } });
  const { data, errors } = await client.query({ query: SearchDocument, variables: { text: "energy", first: 5 } });
  assert.equal(errors, undefined);
  const { edges, facets } = data.articles;
  assert.ok(edges.length > 0, "the demo newsroom has energy stories");
  const bySection = facets.sections.reduce((sum, section) => sum + section.count, 0);
  const byMonth = facets.months.reduce((sum, month) => sum + month.count, 0);
  assert.ok(bySection >= edges.length, "the facets count every match, not only this page");
  assert.equal(bySection, byMonth, "each match once by section and once by month");
  for (const edge of edges) {
    assert.ok(
      facets.sections.some((section) => section.slug === edge.node.category.slug),
      `${edge.node.title}: its section is among the facets`,
    );
  }

  const other = await client.query({ query: SearchDocument, variables: { text: "minister", first: 5 } });
  const again = await client.query({ query: SearchDocument, variables: { text: "energy", first: 5 } });
  assert.deepEqual(again.data.articles.facets, facets, "another search's counts do not overwrite these in the cache");
  assert.ok(other.data.articles.edges.every((edge) => edge.node.title !== undefined));
  const home = await client.query({ query: HomeFeedDocument, variables: { first: 4 }, fetchPolicy: "cache-only" });
  assert.equal(home.data.articles.edges.length, 4, "a search does not replace the home feed's list");
});
