// The media library as clients use it: an upload through the typed REST
// client (FormData) and through Apollo Client with apollo-upload-client
// (the GraphQL multipart request spec), then the renditions they list.
import assert from "node:assert/strict";
import { test } from "node:test";

import { ApolloClient, InMemoryCache } from "@apollo/client/core/index.js";
import createUploadLink from "apollo-upload-client/createUploadLink.mjs";

import { UploadMediaDocument } from "./generated/graphql.js";
import { baseUrl, bearer, graphqlUrl, rest, signIn } from "./server.js";

/** A JPEG of the demo's (a cover's master), made unique by a comment
 * segment after its start marker, so that the upload is not a duplicate. */
async function uniquePhoto(): Promise<Blob> {
  const { data } = await rest.GET("/api/v1/articles", { params: { query: { limit: 20 } } });
  const cover = data?.data.find((card) => card.cover_image?.media_id)?.cover_image;
  assert.ok(cover, "the demo's stories have library covers");
  const master = new Uint8Array(await (await fetch(`${baseUrl}${cover.url}`)).arrayBuffer());
  const text = new TextEncoder().encode(`client test ${Date.now()} ${Math.random()}`);
  const comment = new Uint8Array([0xff, 0xfe, 0, text.length + 2, ...text]);
  return new Blob([master.subarray(0, 2), comment, master.subarray(2)], { type: "image/jpeg" });
}

test("a REST upload with FormData is typed from the contract", async () => {
  const token = await signIn("editor.mara@newsdesk.example");
  const form = new FormData();
  form.append("file", await uniquePhoto(), "harbour.jpg");
  form.append("alt_text", "Fishing boats in the harbour at dawn");
  form.append("focal_x", "0.3");
  form.append("focal_y", "0.5");
  const response = await fetch(`${baseUrl}/api/v1/media`, { method: "POST", headers: bearer(token), body: form });
  assert.equal(response.status, 201);
  const location = response.headers.get("location");
  assert.ok(location);
  const id = location.split("/").pop() ?? "";

  const { data: item } = await rest.GET("/api/v1/media/{id}", {
    params: { path: { id } },
    headers: bearer(token),
  });
  assert.ok(item);
  assert.equal(item.alt_text, "Fishing boats in the harbour at dawn");
  assert.deepEqual(item.focal_point, { x: 0.3, y: 0.5 });
  const card = item.renditions.find((r) => r.width === 640 && r.format === "webp" && r.crop === "16:9");
  assert.ok(card, "a 16:9 card in WebP");
  const image = await fetch(`${baseUrl}${card.url}`);
  assert.equal(image.status, 200);
  assert.equal(image.headers.get("content-type"), "image/webp");
  assert.equal(image.headers.get("cache-control"), "public, max-age=31536000, immutable");
});

test("Apollo Client uploads through apollo-upload-client", async () => {
  const token = await signIn("editor.mara@newsdesk.example");
  const client = new ApolloClient({
    link: createUploadLink({ uri: graphqlUrl, headers: bearer(token) }),
    cache: new InMemoryCache(),
  });
  const file = await uniquePhoto();
  const { data, errors } = await client.mutate({
    mutation: UploadMediaDocument,
    variables: { file, input: { altText: "A tram in the rain", credit: "J. Otieno" } },
  });
  assert.equal(errors, undefined);
  const item = data?.uploadMedia;
  assert.ok(item);
  assert.equal(item.format, "JPEG");
  assert.equal(item.altText, "A tram in the rain");
  assert.match(item.image.card, /\/640-16x9-f500-500\.webp$/);
  assert.match(item.image.fallback, /\/640\.jpg$/);
  for (const url of [item.image.card, item.image.fallback]) {
    const image = await fetch(`${baseUrl}${url}`);
    assert.equal(image.status, 200, url);
  }
  assert.ok(item.renditions.every((r) => r.width <= item.width), "never upscaled");
});
