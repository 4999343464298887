//! The GraphQL API over real HTTP and WebSocket.

mod operations;
mod subscriptions;
mod transport;

use serde_json::{Value, json};

use crate::helpers::TestApp;

impl TestApp {
    /// POSTs an operation; returns the HTTP status and the body.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .header("Accept", "application/graphql-response+json")
            .json(&json!({"query": query, "variables": variables}));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    /// POSTs an operation that must succeed; returns its `data`.
    pub async fn gql_ok(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let (status, body) = self.gql(token, query, variables).await;
        assert!(status == 200 && body.get("errors").is_none(), "{status}: {body}");
        body["data"].clone()
    }
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"].as_str().unwrap_or("<none>")
}
