// The desk's housekeeping as its tools see it: a reader reports a comment
// through Apollo, the editors' queue shows it and an approval clears it
// (typed REST client); a story deleted by mistake is found in the trash
// (Apollo) and restored (REST), and the admin reads both in the audit log.
import assert from "node:assert/strict";
import { test } from "node:test";

import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client/core/index.js";

import { ModerationQueueDocument, ReportCommentDocument, TrashDocument } from "./generated/graphql.js";
import { bearer, graphqlUrl, rest, signIn } from "./server.js";

function apollo(token: string): ApolloClient {
  return new ApolloClient({ link: new HttpLink({ uri: graphqlUrl, headers: bearer(token) }), cache: new InMemoryCache() });
}

test("a reported comment reaches the editors' queue, and an approval clears it", async () => {
  const { data: feed } = await rest.GET("/api/v1/articles", { params: { query: { limit: 1 } } });
  const story = feed?.data[0];
  assert.ok(story, "the demo has published stories");
  const writer = await signIn("reader.kofi@newsdesk.example");
  const posted = await rest.POST("/api/v1/articles/{id_or_slug}/comments", {
    params: { path: { id_or_slug: story.slug } },
    headers: bearer(writer),
    body: { body: "Cheap watches at my shop, follow the link." },
  });
  assert.equal(posted.response.status, 201);
  assert.ok(posted.data);
  const commentId = posted.data.id;

  const reader = apollo(await signIn("reader.tomas@newsdesk.example"));
  const report = { commentId, reason: "SPAM" as const, note: "Advertising." };
  const filed = await reader.mutate({ mutation: ReportCommentDocument, variables: report });
  assert.equal(filed.data?.reportComment.reason, "SPAM");
  await assert.rejects(reader.mutate({ mutation: ReportCommentDocument, variables: report }), /already reported/);

  const editor = await signIn("editor.mara@newsdesk.example");
  const queue = await apollo(editor).query({ query: ModerationQueueDocument, variables: { first: 50 } });
  const entry = queue.data.moderationQueue.nodes.find((n) => n.comment.id === commentId);
  assert.ok(entry, "the reported comment waits in the queue");
  assert.equal(entry.reported, true);
  assert.equal(entry.held, false);
  assert.equal(entry.reportCount, 1);
  assert.deepEqual(entry.reasons, ["SPAM"]);
  assert.equal(entry.article.slug, story.slug);

  const approved = await rest.POST("/api/v1/comments/{id}/approve", {
    params: { path: { id: commentId } },
    headers: bearer(editor),
  });
  assert.equal(approved.response.status, 200);
  assert.equal(approved.data?.status, "visible");
  const after = await apollo(editor).query({ query: ModerationQueueDocument, variables: { first: 50 } });
  assert.equal(after.data.moderationQueue.nodes.find((n) => n.comment.id === commentId), undefined);
});

test("a story deleted by mistake is found in the trash and restored; the audit log shows both", async () => {
  const editor = await signIn("editor.mara@newsdesk.example");
  const { data: sections } = await rest.GET("/api/v1/categories");
  const section = sections?.data[0];
  assert.ok(section, "the demo has sections");
  const created = await rest.POST("/api/v1/articles", {
    headers: bearer(editor),
    body: { title: "Harbour ferry timetable changes", summary: "From Monday.", body: "Ferries run **hourly**.", category: section.slug, tags: [] },
  });
  assert.equal(created.response.status, 201);
  assert.ok(created.data);
  const id = created.data.id;

  const deleted = await rest.DELETE("/api/v1/articles/{id_or_slug}", {
    params: { path: { id_or_slug: id } },
    headers: bearer(editor),
  });
  assert.equal(deleted.response.status, 204);
  const trash = await apollo(editor).query({ query: TrashDocument, variables: { first: 20 } });
  const kept = trash.data.trash.nodes.find((n) => n.id === id);
  assert.ok(kept, "the story waits in the trash");
  assert.equal(kept.title, "Harbour ferry timetable changes");
  assert.ok(Date.parse(kept.purgeAt) > Date.parse(kept.deletedAt));

  const restored = await rest.POST("/api/v1/articles/{id}/restore", { params: { path: { id } }, headers: bearer(editor) });
  assert.equal(restored.response.status, 201);
  assert.equal(restored.data?.title, "Harbour ferry timetable changes");
  assert.equal(restored.data?.version, created.data.version);
  const again = await rest.POST("/api/v1/articles/{id}/restore", { params: { path: { id } }, headers: bearer(editor) });
  assert.equal(again.response.status, 404);
  assert.equal(again.error?.code, "NOT_FOUND");

  const admin = await signIn("admin@newsdesk.example");
  const log = await rest.GET("/api/v1/audit", { params: { query: { target: id } }, headers: bearer(admin) });
  assert.equal(log.response.status, 200);
  const actions = (log.data?.data ?? []).map((e) => e.action);
  assert.deepEqual(actions, ["article_restore", "article_delete", "article_create"], "newest first");
});
