// graphql-ws, the reference client of the graphql-transport-ws protocol:
// live events triggered through the REST API.
import assert from "node:assert/strict";
import { test } from "node:test";

import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { createClient, type Client, type FormattedExecutionResult } from "graphql-ws";
import WebSocket from "ws";

import { ArticleBreakingDocument, ArticlePublishedDocument, CommentAddedDocument } from "./generated/graphql.js";
import { bearer, eventually, rest, signIn, subscribers, websocketUrl } from "./server.js";

/**
 * Subscribes, and once the server listens (its /metrics gauge rises),
 * returns the first event to come and a way to stop that waits until the
 * server has let the subscription go.
 */
async function firstEvent<T, V extends Record<string, unknown>>(
  client: Client,
  query: TypedDocumentNode<T, V>,
  variables: V,
): Promise<{ event: Promise<FormattedExecutionResult<T, unknown>>; stop: () => Promise<void> }> {
  const listening = await subscribers();
  let unsubscribe = (): void => {};
  const event = new Promise<FormattedExecutionResult<T, unknown>>((resolve, reject) => {
    unsubscribe = client.subscribe<T>(
      { query: print(query), variables },
      { next: resolve, error: reject, complete: () => reject(new Error("completed without an event")) },
    );
  });
  await eventually("the subscription to be listening", async () => (await subscribers()) > listening);
  const stop = async (): Promise<void> => {
    unsubscribe();
    await eventually("the subscription to end", async () => (await subscribers()) <= listening);
  };
  return { event, stop };
}

test("articlePublished and commentAdded arrive for writes made over REST", async () => {
  const editor = await signIn("editor.joel@newsdesk.example");
  const client = createClient({
    url: websocketUrl,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${editor}` },
    retryAttempts: 0,
  });
  try {
    const published = await firstEvent(client, ArticlePublishedDocument, {});
    const { data: sections } = await rest.GET("/api/v1/categories");
    const section = sections?.data[0];
    assert.ok(section);
    const created = await rest.POST("/api/v1/articles", {
      headers: bearer(editor),
      body: { title: "Night trains return to the coast line", category: section.slug, tags: [] },
    });
    assert.ok(created.data);
    const id = created.data.id;
    const publish = await rest.POST("/api/v1/articles/{id_or_slug}/publish", {
      params: { path: { id_or_slug: id } },
      headers: bearer(editor),
    });
    assert.equal(publish.response.status, 200);
    const story = await published.event;
    await published.stop();
    assert.equal(story.errors, undefined);
    assert.equal(story.data?.articlePublished.id, id);
    assert.equal(story.data.articlePublished.title, "Night trains return to the coast line");

    const comments = await firstEvent(client, CommentAddedDocument, { articleId: id });
    const reader = await signIn("reader.wen@newsdesk.example");
    const posted = await rest.POST("/api/v1/articles/{id_or_slug}/comments", {
      params: { path: { id_or_slug: id } },
      headers: bearer(reader),
      body: { body: "Finally, a way home after the late shift." },
    });
    assert.equal(posted.response.status, 201);
    const comment = await comments.event;
    await comments.stop();
    assert.equal(comment.data?.commentAdded.articleId, id);
    assert.equal(comment.data.commentAdded.body, "Finally, a way home after the late shift.");
  } finally {
    await client.dispose();
  }
});

test("articleBreaking arrives when an editor opens a live story's window, and the feed filters on it", async () => {
  const editor = await signIn("editor.joel@newsdesk.example");
  const client = createClient({ url: websocketUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
  try {
    const { data: sections } = await rest.GET("/api/v1/categories");
    const section = sections?.data[0];
    assert.ok(section);
    const created = await rest.POST("/api/v1/articles", {
      headers: bearer(editor),
      body: { title: "Harbour crane collapses in high winds", category: section.slug, tags: [] },
    });
    assert.ok(created.data);
    const id = created.data.id;
    const published = await rest.POST("/api/v1/articles/{id_or_slug}/publish", {
      params: { path: { id_or_slug: id } },
      headers: bearer(editor),
    });
    assert.ok(published.data);
    assert.equal(published.data.breaking, false);

    const breaking = await firstEvent(client, ArticleBreakingDocument, { category: section.slug });
    const until = new Date(Date.now() + 2 * 3600 * 1000).toISOString();
    const opened = await rest.PATCH("/api/v1/articles/{id_or_slug}", {
      params: { path: { id_or_slug: id }, header: { "If-Match": `"${published.data.version}"` } },
      headers: bearer(editor),
      body: { breaking_until: until },
    });
    assert.equal(opened.response.status, 200);
    const story = await breaking.event;
    await breaking.stop();
    assert.equal(story.errors, undefined);
    assert.equal(story.data?.articleBreaking.id, id);
    assert.equal(story.data.articleBreaking.breaking, true);
    assert.equal(Date.parse(story.data.articleBreaking.breakingUntil ?? ""), Date.parse(until));

    const list = await rest.GET("/api/v1/articles", { params: { query: { breaking: true } } });
    assert.equal(list.response.status, 200);
    assert.ok(list.data?.data.some((a) => a.id === id && a.breaking && a.breaking_until !== null));
    const calm = await rest.GET("/api/v1/articles", { params: { query: { breaking: false, limit: 100 } } });
    assert.ok(calm.data?.data.every((a) => !a.breaking));
  } finally {
    await client.dispose();
  }
});

test("a subscription the schema refuses is an error message, not an event", async () => {
  const client = createClient({ url: websocketUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
  try {
    const outcome = await new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: "subscription { commentAdded { id } }" },
        { next: () => resolve("next"), error: resolve, complete: () => resolve("complete") },
      );
    });
    assert.ok(Array.isArray(outcome), `graphql-ws reports the refusal as errors: ${JSON.stringify(outcome)}`);
  } finally {
    await client.dispose();
  }
});
