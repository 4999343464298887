// The live server the runner started, and a REST client typed from its
// OpenAPI document.
import createClient from "openapi-fetch";
import type { paths } from "./generated/rest.js";

const url = process.env.NEWSDESK_URL;
if (url === undefined || url === "") {
  throw new Error("NEWSDESK_URL is not set; run the clients through clients/run");
}

export const baseUrl: string = url;
export const graphqlUrl = `${baseUrl}/graphql`;
export const websocketUrl = `${baseUrl.replace(/^http/, "ws")}/graphql/ws`;

/** Every demo account has this password (see src/seed/demo_content.json). */
export const demoPassword = "newsdesk-demo";

export const rest = createClient<paths>({ baseUrl });

const sessions = new Map<string, Promise<string>>();

/**
 * An access token for a demo account, through the typed client; signed in
 * once per test file and kept, as an app keeps its session (sign-ins are
 * rate-limited, as they should be).
 */
export function signIn(email: string): Promise<string> {
  let session = sessions.get(email);
  if (session === undefined) {
    session = logIn(email);
    sessions.set(email, session);
  }
  return session;
}

/**
 * Calls a rate-limited route as a well-behaved app does: told 429, it waits
 * the `Retry-After` it was given and tries again.
 */
export async function withinLimits<T extends { response: Response }>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const result = await call();
    if (result.response.status !== 429 || attempt === 5) {
      return result;
    }
    const seconds = Number(result.response.headers.get("Retry-After") ?? "1");
    await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(seconds, 1), 15) * 1000));
  }
}

async function logIn(email: string): Promise<string> {
  const { data, error, response } = await withinLimits(() =>
    rest.POST("/api/v1/auth/login", { body: { email, password: demoPassword } }),
  );
  if (data === undefined) {
    throw new Error(`sign-in as ${email} failed: ${response.status} ${JSON.stringify(error)}`);
  }
  return data.access_token;
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

/** A counter or gauge from the server's /metrics (Prometheus text). */
async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  if (line === undefined) {
    throw new Error(`/metrics has no ${name}`);
  }
  return Number(line.split(" ")[1]);
}

/** Live GraphQL subscriptions on the server. */
export function subscribers(): Promise<number> {
  return metric("newsdesk_subscribers");
}

/** SQL statements the server has run since it started. */
export function statementsRun(): Promise<number> {
  return metric("newsdesk_db_queries_total");
}

/** Polls `condition` until it holds: for server state a client cannot await. */
export async function eventually(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
