//! The span every request is logged under: tracing-actix-web's own, except
//! where the address carries a credential. A preview link's token opens an
//! unpublished story to whoever holds it, so its requests are logged under
//! the route; a GraphQL GET carries its variables (a preview token among
//! them) in the query string, so it is logged by path alone, as a POST's
//! body is not logged either. A log shipped elsewhere opens nothing.

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use tracing::Span;
use tracing::field::Empty;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

use super::cache::{PREVIEWS, is_preview};

/// Where GraphQL is served.
const GRAPHQL: &str = "/graphql";

pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let target = if is_preview(request) {
            format!("{PREVIEWS}{{token}}")
        } else if request.path() == GRAPHQL && !request.query_string().is_empty() {
            GRAPHQL.to_owned()
        } else {
            return DefaultRootSpanBuilder::on_request_start(request);
        };
        let route = request.match_pattern().unwrap_or_else(|| target.clone());
        let request_id = request.extensions().get::<RequestId>().map(ToString::to_string).unwrap_or_default();
        let user_agent =
            request.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
        let connection = request.connection_info().clone();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.host = %connection.host(),
            http.client_ip = %connection.realip_remote_addr().unwrap_or(""),
            http.user_agent = %user_agent,
            http.target = %target,
            http.status_code = Empty,
            otel.name = %format!("{} {route}", request.method()),
            otel.kind = "server",
            otel.status_code = Empty,
            request_id = %request_id,
            exception.message = Empty,
            exception.details = Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, actix_web::Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use actix_web::test::{TestRequest, call_service, init_service};
    use actix_web::{App, HttpResponse, web};
    use tracing_actix_web::TracingLogger;

    use super::*;
    use crate::error::AppError;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    async fn refused() -> Result<HttpResponse, AppError> {
        Err(AppError::Forbidden("no".into()))
    }

    #[actix_web::test]
    async fn preview_tokens_stay_out_of_the_log_and_other_paths_stay_in_it() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber =
            tracing_subscriber::fmt().with_ansi(false).with_writer(move || writer.clone()).finish();
        let _logging = tracing::subscriber::set_default(subscriber);
        let app = init_service(
            App::new()
                .wrap(TracingLogger::<RequestSpan>::new())
                .route("/api/v1/previews/{token}", web::get().to(refused))
                .route("/api/v1/articles/{slug}", web::get().to(refused))
                .route("/graphql", web::get().to(refused)),
        )
        .await;
        let paths = [
            "/api/v1/previews/qs0HmQcCI7HLKWbZZwINRg4gvCKP5FtC7kv4BZ8Nggo?x=1",
            // Routed as a preview too: the token must not slip out by another spelling.
            "/api/v1/%70reviews/Zk3vQ2tokenSpeltOtherwise",
            "/graphql?query=%7Bpreview(token:%22Yt7secretInAQuery%22)%7Bid%7D%7D",
            "/api/v1/articles/harbour",
        ];
        for path in paths {
            let answer = call_service(&app, TestRequest::get().uri(path).to_request()).await;
            assert_eq!(answer.status(), 403, "{path}");
        }
        let log =
            String::from_utf8_lossy(&captured.0.lock().map(|b| b.clone()).unwrap_or_default()).into_owned();
        for secret in ["qs0HmQ", "Zk3vQ2", "Yt7secret"] {
            assert!(!log.contains(secret), "{secret}: {log}");
        }
        assert_eq!(log.matches("http.target=/api/v1/previews/{token} ").count(), 2, "{log}");
        assert!(log.contains("http.target=/graphql "), "{log}");
        assert!(log.contains("http.target=/api/v1/articles/harbour "), "{log}");
        assert_eq!(log.matches("request_id=").count(), 4, "{log}");
        assert!(!log.contains("request_id= "), "every line names its request: {log}");
    }
}
