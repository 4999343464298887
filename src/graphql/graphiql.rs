//! GraphiQL in the browser at `GET /graphql`, from vendored files: it works
//! offline and sends nothing to a CDN.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpResponse, web};

/// The page a browser gets at `GET /graphql`.
pub fn page() -> HttpResponse {
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(GRAPHIQL_PAGE)
}

static GRAPHIQL_JS: &[u8] = include_bytes!("../../assets/graphiql/graphiql.min.js");
static GRAPHIQL_CSS: &[u8] = include_bytes!("../../assets/graphiql/graphiql.min.css");
static REACT_JS: &[u8] = include_bytes!("../../assets/graphiql/react.production.min.js");
static REACT_DOM_JS: &[u8] = include_bytes!("../../assets/graphiql/react-dom.production.min.js");

/// `GET /graphql/assets/{file}`: GraphiQL's own files, served locally.
pub async fn asset(file: web::Path<String>) -> HttpResponse {
    let assets: HashMap<&str, (&[u8], &str)> = HashMap::from([
        ("graphiql.min.js", (GRAPHIQL_JS, "text/javascript")),
        ("graphiql.min.css", (GRAPHIQL_CSS, "text/css")),
        ("react.production.min.js", (REACT_JS, "text/javascript")),
        ("react-dom.production.min.js", (REACT_DOM_JS, "text/javascript")),
        ("start.js", (START_JS.as_bytes(), "text/javascript")),
    ]);
    match assets.get(file.as_str()) {
        Some((bytes, media)) => HttpResponse::Ok()
            .content_type(*media)
            .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
            .body(*bytes),
        None => HttpResponse::NotFound().finish(),
    }
}

const GRAPHIQL_PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Newsdesk GraphQL</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/graphql/assets/graphiql.min.css">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphql/assets/react.production.min.js"></script>
  <script src="/graphql/assets/react-dom.production.min.js"></script>
  <script src="/graphql/assets/graphiql.min.js"></script>
  <script src="/graphql/assets/start.js"></script>
</body>
</html>
"#;

/// Starts GraphiQL on the page: a file, not an inline script, so that the
/// page's Content-Security-Policy can allow this host's scripts only.
const START_JS: &str = r#"// Subscriptions go over WebSocket, to this same host.
const subscriptionUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql/ws';
const fetcher = GraphiQL.createFetcher({ url: '/graphql', subscriptionUrl });
ReactDOM.createRoot(document.getElementById('graphiql'))
  .render(React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }));
"#;
