// A reader's account as their app and the admin console see it: signing
// up, editing the profile and downloading their data (typed REST client
// and Apollo), changing the password (the app's own sign-in goes on), a
// password-reset link from an admin, and deleting the account.
import assert from "node:assert/strict";
import { test } from "node:test";

import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client/core/index.js";

import {
  AccountExportDocument,
  CreatePasswordResetDocument,
  UpdateMeDocument,
} from "./generated/graphql.js";
import { bearer, demoPassword, graphqlUrl, rest, signIn, withinLimits } from "./server.js";

function apollo(token?: string): ApolloClient {
  const headers = token === undefined ? {} : bearer(token);
  return new ApolloClient({ link: new HttpLink({ uri: graphqlUrl, headers }), cache: new InMemoryCache() });
}

async function logIn(email: string, password: string): Promise<{ token: string; id: string }> {
  const { data, response } = await withinLimits(() => rest.POST("/api/v1/auth/login", { body: { email, password } }));
  assert.equal(response.status, 200);
  assert.ok(data);
  return { token: data.access_token, id: data.user.id };
}

test("a reader edits their profile, downloads their data, changes and resets the password, and leaves", async () => {
  const email = `sam.${Date.now()}@example.org`;
  const registered = await rest.POST("/api/v1/auth/register", {
    body: { email, password: demoPassword, display_name: "Sam Lee" },
  });
  assert.equal(registered.response.status, 202);
  const { token, id } = await logIn(email, demoPassword);

  const edited = await rest.PATCH("/api/v1/me", {
    headers: bearer(token),
    body: { bio: "Reads the sport pages." },
  });
  assert.equal(edited.response.status, 200);
  assert.equal(edited.data?.display_name, "Sam Lee");
  assert.equal(edited.data?.bio, "Reads the sport pages.");
  const renamed = await apollo(token).mutate({ mutation: UpdateMeDocument, variables: { input: { displayName: "Sam L." } } });
  assert.equal(renamed.data?.updateMe.displayName, "Sam L.");
  assert.equal(renamed.data?.updateMe.bio, "Reads the sport pages.");

  const exported = await rest.GET("/api/v1/me/export", { headers: bearer(token) });
  assert.equal(exported.response.status, 200);
  assert.equal(exported.response.headers.get("Content-Disposition"), `attachment; filename="newsdesk-account-${id}.json"`);
  assert.equal(exported.response.headers.get("Cache-Control"), "private, no-store");
  assert.equal(exported.data?.account.email, email);
  assert.deepEqual(exported.data?.comments, []);
  const viaApollo = await apollo(token).query({ query: AccountExportDocument });
  assert.equal(viaApollo.data.accountExport.account.email, email);

  // Sign-in-limited, as a guess at the password would be.
  const changed = await withinLimits(() =>
    rest.POST("/api/v1/me/password", {
      headers: bearer(token),
      body: { current_password: demoPassword, new_password: "a much longer secret" },
    }),
  );
  assert.equal(changed.response.status, 204);
  const still = await rest.GET("/api/v1/me", { headers: bearer(token) });
  assert.equal(still.response.status, 200, "the app's own sign-in goes on");

  // Forgotten: an admin issues a link; the page it opens, for someone not
  // signed in, sets a new password.
  const admin = await signIn("admin@newsdesk.example");
  const issued = await apollo(admin).mutate({ mutation: CreatePasswordResetDocument, variables: { userId: id } });
  const link = issued.data?.createPasswordReset;
  assert.ok(link);
  assert.ok(Date.parse(link.expiresAt) > Date.now());
  const reset = await withinLimits(() =>
    rest.POST("/api/v1/auth/password-reset", { body: { token: link.token, new_password: "reset and remembered" } }),
  );
  assert.equal(reset.response.status, 204);
  const used = await withinLimits(() =>
    rest.POST("/api/v1/auth/password-reset", { body: { token: link.token, new_password: "once more, again" } }),
  );
  assert.equal(used.response.status, 400, "a link works once");
  assert.equal(used.error?.code, "VALIDATION_FAILED");
  const ended = await rest.GET("/api/v1/me", { headers: bearer(token) });
  assert.equal(ended.response.status, 401, "a reset ends every sign-in");

  const again = await logIn(email, "reset and remembered");
  const deleted = await withinLimits(() =>
    rest.DELETE("/api/v1/me", { headers: bearer(again.token), body: { password: "reset and remembered" } }),
  );
  assert.equal(deleted.response.status, 204);
  const gone = await withinLimits(() =>
    rest.POST("/api/v1/auth/login", { body: { email, password: "reset and remembered" } }),
  );
  assert.equal(gone.response.status, 401);
});
