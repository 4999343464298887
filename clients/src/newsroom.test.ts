// The newsroom's day as its tools see it. Preview links: made with the typed
// REST client and through Apollo, opened by someone not signed in, never
// cached, dead once revoked. Corrections: appended by an editor, read back
// by a story page in order. Collections: the desk reorders the top stories,
// and a home screen shows them in that order.
import assert from "node:assert/strict";
import { test } from "node:test";

import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client/core/index.js";

import {
  CreatePreviewDocument,
  PreviewDocument,
  RevokePreviewDocument,
  StoryCorrectionsDocument,
  TopStoriesDocument,
} from "./generated/graphql.js";
import { bearer, graphqlUrl, rest, signIn } from "./server.js";

async function newDraft(author: string, title: string): Promise<string> {
  const { data: sections } = await rest.GET("/api/v1/categories");
  const section = sections?.data[0];
  assert.ok(section, "the demo has sections");
  const created = await rest.POST("/api/v1/articles", {
    headers: bearer(author),
    body: { title, summary: "Not public yet.", body: "The **draft** text.", category: section.slug, tags: [] },
  });
  assert.equal(created.response.status, 201);
  assert.ok(created.data);
  return created.data.id;
}

test("a preview link opens a draft to a reader with no account, until revoked", async () => {
  const author = await signIn("author.dmitri@newsdesk.example");
  const id = await newDraft(author, "Lighthouse keepers vote to strike");

  const made = await rest.POST("/api/v1/articles/{id_or_slug}/previews", {
    params: { path: { id_or_slug: id } },
    headers: bearer(author),
  });
  assert.equal(made.response.status, 201);
  assert.ok(made.data);
  assert.equal(made.data.article_id, id);
  assert.equal(made.response.headers.get("Cache-Control"), "private, no-store");
  const token = made.data.token;

  const opened = await rest.GET("/api/v1/previews/{token}", { params: { path: { token } } });
  assert.equal(opened.response.status, 200);
  assert.equal(opened.data?.title, "Lighthouse keepers vote to strike");
  assert.equal(opened.data?.status, "draft");
  assert.equal(opened.response.headers.get("Cache-Control"), "private, no-store");
  assert.equal(opened.response.headers.get("X-Robots-Tag"), "noindex");
  assert.equal(opened.response.headers.get("ETag"), null);

  const hidden = await rest.GET("/api/v1/articles/{id_or_slug}", { params: { path: { id_or_slug: id } } });
  assert.equal(hidden.response.status, 404, "the article itself stays unpublished");

  const revoked = await rest.DELETE("/api/v1/previews/{token}", {
    params: { path: { token } },
    headers: bearer(author),
  });
  assert.equal(revoked.response.status, 204);
  const gone = await rest.GET("/api/v1/previews/{token}", { params: { path: { token } } });
  assert.equal(gone.response.status, 404);
  assert.equal(gone.error?.code, "NOT_FOUND");
});

test("Apollo makes a preview link and reads it anonymously; revoked, it reads null", async () => {
  const author = await signIn("author.dmitri@newsdesk.example");
  const id = await newDraft(author, "Night buses return to the old town");
  const staff = new ApolloClient({
    link: new HttpLink({ uri: graphqlUrl, headers: bearer(author) }),
    cache: new InMemoryCache(),
  });
  const made = await staff.mutate({ mutation: CreatePreviewDocument, variables: { articleId: id } });
  const link = made.data?.createPreview;
  assert.ok(link);
  assert.equal(link.articleId, id);

  // A reader's app: no token, and a fresh cache for every look.
  const read = () =>
    new ApolloClient({ link: new HttpLink({ uri: graphqlUrl }), cache: new InMemoryCache() }).query({
      query: PreviewDocument,
      variables: { token: link.token },
    });
  const first = await read();
  assert.equal(first.data.preview?.title, "Night buses return to the old town");
  assert.equal(first.data.preview?.status, "DRAFT");

  const revoked = await staff.mutate({ mutation: RevokePreviewDocument, variables: { token: link.token } });
  assert.equal(revoked.data?.revokePreview, true);
  const after = await read();
  assert.equal(after.data.preview, null, "the server kept no answer to replay");
});

test("an editor corrects a published story; the story page shows the notes in order", async () => {
  const { data: feed } = await rest.GET("/api/v1/articles", { params: { query: { limit: 1 } } });
  const story = feed?.data[0];
  assert.ok(story, "the demo feed has a story");
  const editor = await signIn("editor.mara@newsdesk.example");
  const added = await rest.POST("/api/v1/articles/{id_or_slug}/corrections", {
    params: { path: { id_or_slug: story.slug } },
    headers: bearer(editor),
    body: { kind: "correction", text: "An earlier version misspelt the minister's name." },
  });
  assert.equal(added.response.status, 201);
  assert.ok(added.data);
  assert.equal(added.data.kind, "correction");

  const refused = await rest.POST("/api/v1/articles/{id_or_slug}/corrections", {
    params: { path: { id_or_slug: story.slug } },
    headers: bearer(editor),
    body: { kind: "correction", text: "" },
  });
  assert.equal(refused.response.status, 400);
  assert.equal(refused.error?.code, "VALIDATION_FAILED");

  const page = await new ApolloClient({ link: new HttpLink({ uri: graphqlUrl }), cache: new InMemoryCache() }).query({
    query: StoryCorrectionsDocument,
    variables: { slug: story.slug },
  });
  const notes = page.data.article?.corrections ?? [];
  const last = notes[notes.length - 1];
  assert.ok(last, "the note is on the story");
  assert.equal(last.id, added.data.id);
  assert.equal(last.kind, "CORRECTION");
  assert.equal(page.data.article?.updatedAt, added.data.created_at, "the story reads as updated then");
});

test("an editor reorders the top stories; the home screen follows, and a stale version is refused", async () => {
  const home = (): Promise<{ slugs: string[]; version: number }> =>
    new ApolloClient({ link: new HttpLink({ uri: graphqlUrl }), cache: new InMemoryCache() })
      .query({ query: TopStoriesDocument })
      .then(({ data }) => {
        assert.ok(data.collection, "the demo has top stories");
        return { slugs: data.collection.articles.map((a) => a.slug), version: data.collection.version };
      });
  const before = await home();
  assert.ok(before.slugs.length >= 2);

  const read = await rest.GET("/api/v1/collections/{slug}", { params: { path: { slug: "top-stories" } } });
  assert.equal(read.response.status, 200);
  assert.ok(read.data);
  const etag = read.response.headers.get("ETag");
  assert.ok(etag);
  const reordered = [...read.data.articles].reverse().map((a) => a.id);
  const editor = await signIn("editor.joel@newsdesk.example");
  const put = await rest.PUT("/api/v1/collections/{slug}/items", {
    params: { path: { slug: "top-stories" }, header: { "If-Match": etag } },
    headers: bearer(editor),
    body: { article_ids: reordered },
  });
  assert.equal(put.response.status, 200);
  assert.equal(put.data?.version, before.version + 1);

  const after = await home();
  assert.deepEqual(after.slugs, [...before.slugs].reverse());

  const stale = await rest.PUT("/api/v1/collections/{slug}/items", {
    params: { path: { slug: "top-stories" }, header: { "If-Match": etag } },
    headers: bearer(editor),
    body: { article_ids: [] },
  });
  assert.equal(stale.response.status, 412);
  assert.equal(stale.error?.code, "PRECONDITION_FAILED");
  assert.deepEqual((await home()).slugs, after.slugs, "nothing was lost");
});
