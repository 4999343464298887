//! GraphQL over HTTP (POST and GET, following the GraphQL-over-HTTP spec),
//! automatic persisted queries, GraphiQL for browsers, and subscriptions
//! over WebSocket (graphql-transport-ws).

use actix_web::http::{Method, StatusCode, header};
use actix_web::web::{Bytes, Data};
use actix_web::{HttpRequest, HttpResponse};
use async_graphql::parser::types::OperationType;
use async_graphql::{Request, Response, ServerError};

use super::Schemas;
use super::context::RequestContext;
use super::document;
use super::errors::ensure_code;
use super::persisted::{Lookup, PersistedQueries};
use super::{loaders, nulls};
use crate::domain::Viewer;
use crate::error::{AppError, ErrorCode};
use crate::http::cache::{HttpCache, compact_key};
use crate::http::extract::{ClientIp, RawJsonBody, caller, caller_sign_in};
use crate::service::Services;
use crate::service::budget::{Budget, CALLS_PER_REQUEST, within};
use crate::service::freshness::{Shown, showing};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
pub(super) const JSON: &str = "application/json";

/// Which media type the client reads: the spec's own, or legacy JSON.
pub(super) fn response_type(req: &HttpRequest) -> Option<&'static str> {
    let Some(accept) = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(JSON);
    };
    let types: Vec<&str> = accept.split(',').map(|t| t.split(';').next().unwrap_or("").trim()).collect();
    if types.contains(&GRAPHQL_RESPONSE) {
        Some(GRAPHQL_RESPONSE)
    } else if types.iter().any(|t| *t == JSON || *t == "*/*" || *t == "application/*") {
        Some(JSON)
    } else {
        None
    }
}

/// A response with nothing but errors, each with its code.
fn errors_only(status: StatusCode, media: &str, errors: Vec<(String, &str)>) -> HttpResponse {
    let errors: Vec<serde_json::Value> = errors
        .into_iter()
        .map(|(message, code)| serde_json::json!({"message": message, "extensions": {"code": code}}))
        .collect();
    HttpResponse::build(status)
        .content_type(media)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({"errors": errors}))
}

pub(super) fn app_error(error: &AppError, media: &str) -> HttpResponse {
    let status = StatusCode::from_u16(error.code().http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = errors_only(status, media, vec![(error.public_message(), error.code().as_str())]);
    if matches!(error, AppError::Unauthenticated(_)) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    }
    response
}

/// What answering a GraphQL request over HTTP takes.
pub(super) struct Endpoint<'a> {
    pub schemas: &'a Schemas,
    pub persisted: &'a PersistedQueries,
    pub services: &'a Services,
    pub cache: &'a HttpCache,
}

pub(super) async fn execute(
    endpoint: Endpoint<'_>,
    req: &HttpRequest,
    ip: ClientIp,
    mut request: Request,
    body_key: Option<String>,
) -> HttpResponse {
    let Endpoint { schemas, persisted, services, cache } = endpoint;
    let Some(media) = response_type(req) else {
        return HttpResponse::NotAcceptable()
            .body(format!("this endpoint answers {GRAPHQL_RESPONSE} or {JSON}"));
    };
    let request_error = if media == GRAPHQL_RESPONSE { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let (viewer, session) = match caller_sign_in(req) {
        Ok(signed_in) => (signed_in.viewer, signed_in.session),
        Err(error) => return app_error(&error, media),
    };

    // A query sent with its hash is remembered once it parses, never before.
    let mut registering = None;
    if let Some(extension) = request.extensions.remove("persistedQuery") {
        let extension = serde_json::to_value(&extension).unwrap_or_default();
        match persisted.resolve(&extension, &request.query) {
            Lookup::Found(query) => request.query = query,
            Lookup::Registering(hash) => registering = Some(hash),
            // Apollo clients recognise this message and resend with the query.
            Lookup::NotFound => {
                return errors_only(
                    StatusCode::OK,
                    media,
                    vec![("PersistedQueryNotFound".into(), "PERSISTED_QUERY_NOT_FOUND")],
                );
            }
            Lookup::Mismatch => {
                return errors_only(
                    request_error,
                    media,
                    vec![(
                        "provided sha256Hash does not match the query".into(),
                        ErrorCode::BadRequest.as_str(),
                    )],
                );
            }
            Lookup::Invalid => {
                return errors_only(
                    request_error,
                    media,
                    vec![("malformed persistedQuery extension".into(), ErrorCode::BadRequest.as_str())],
                );
            }
        }
    }

    // No document at all is not a GraphQL request (a misspelt `query`
    // member, an empty query string): refused as such, in every media type.
    if request.query.trim().is_empty() {
        return errors_only(
            StatusCode::BAD_REQUEST,
            media,
            vec![("the request has no `query`".into(), ErrorCode::BadRequest.as_str())],
        );
    }
    // An `Upload` names a file of the multipart request by index; one that
    // names none (sent in JSON, or past the files sent) is refused here, before
    // async-graphql's own lookup would fail on it.
    if let Some(problem) = forged_upload(&request) {
        return errors_only(request_error, media, vec![(problem, ErrorCode::BadRequest.as_str())]);
    }
    let operation = match document::read(&request.query, request.operation_name.as_deref()) {
        Err(syntax) => {
            return errors_only(request_error, media, vec![(syntax, ErrorCode::BadRequest.as_str())]);
        }
        Ok(operation) => operation,
    };
    if let Some(hash) = registering {
        persisted.keep(hash, &request.query);
    }
    match operation.kind {
        Some(OperationType::Mutation) if req.method() == Method::GET => {
            // GET must be safe: a mutation is refused before anything runs.
            let mut response = errors_only(
                StatusCode::METHOD_NOT_ALLOWED,
                media,
                vec![("mutations are only accepted over POST".into(), ErrorCode::BadRequest.as_str())],
            );
            response.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("POST"));
            return response;
        }
        Some(OperationType::Subscription) => {
            return errors_only(
                request_error,
                media,
                vec![(
                    "subscriptions run over WebSocket at /graphql/ws".into(),
                    ErrorCode::BadRequest.as_str(),
                )],
            );
        }
        _ => {}
    }
    // Introspection runs under limits of its own, so that the standard query
    // every client tool sends is never refused by the limits set for data.
    let schema = if operation.introspection_only { &schemas.introspection } else { &schemas.data };

    // Anonymous queries sent by POST (what Apollo and most app clients send)
    // are answered from the response cache like GETs, keyed by what they ask,
    // until a write commits; never a signed-in caller's, never a mutation.
    let kept_as = (req.method() == Method::POST
        && viewer == Viewer::Anonymous
        && operation.kind == Some(OperationType::Query)
        && cache.keeps_bodies())
    .then(|| (post_key(media, &request), services.db_generation()));
    // Held until the answer is kept: concurrent misses of the same query wait for it.
    let mut _reading = None;
    if let Some((key, _)) = &kept_as {
        match cache.answer_or_read(key, req.headers(), |s, k| services.is_fresh(s, k)).await {
            Ok(answer) => return answer,
            Err(reading) => _reading = reading,
        }
    }
    let (query, operation_name) = (request.query.clone(), request.operation_name.clone());
    let mut request = request.data(RequestContext::new(viewer, ip.0).signed_in_as(session));
    loaders::install(&mut request.data, services, viewer);
    // What the query's reads show is what its kept answer is invalidated by.
    let shown = Shown::default();
    // Within a budget of database calls: no document holds the database for long.
    let budget = Budget::new(CALLS_PER_REQUEST);
    let mut response: Response = match kept_as {
        Some(_) => within(budget, showing(shown.clone(), schema.execute(request))).await,
        None => within(budget, schema.execute(request)).await,
    };
    let root = if operation.kind == Some(OperationType::Mutation) { "Mutation" } else { "Query" };
    nulls::propagate(
        &mut response.data,
        &response.errors,
        &query,
        operation_name.as_deref(),
        root,
        &schemas.field_types,
    );
    for error in &mut response.errors {
        ensure_code(&mut error.extensions);
    }
    let refused = response.data == async_graphql::Value::Null
        && response.errors.iter().all(|e: &ServerError| e.path.is_empty());
    let status = if refused && !response.errors.is_empty() { request_error } else { StatusCode::OK };
    let mut reply = HttpResponse::build(status);
    reply.content_type(media);
    if !response.errors.is_empty() {
        // Errors are not worth caching; successes are, through the ETag middleware.
        reply.insert_header((header::CACHE_CONTROL, "no-store"));
    }
    // A resolver marks an answer the caller's alone (a preview): sent with its
    // marks, and kept by no cache, ours included.
    let private = response.http_headers.contains_key("cache-control");
    for (name, value) in &response.http_headers {
        if let Ok(value) = header::HeaderValue::from_bytes(value.as_bytes()) {
            reply.insert_header((name.as_str(), value));
        }
    }
    let unavailable = async_graphql::Value::from(ErrorCode::Unavailable.as_str());
    if response.errors.iter().any(|e| e.extensions.as_ref().and_then(|x| x.get("code")) == Some(&unavailable))
    {
        // As REST's 503: an outage is worth another try soon.
        reply.insert_header((header::RETRY_AFTER, "1"));
    }
    let body = match serde_json::to_vec(&response) {
        Ok(body) => Bytes::from(body),
        Err(error) => return app_error(&AppError::internal(error), media),
    };
    let mut reply = reply.body(body.clone());
    if let Some((key, stamp)) = kept_as
        && response.errors.is_empty()
        && !private
    {
        cache.remember(key, body_key, stamp, shown.keys(), reply.headers_mut(), req.headers(), &body);
    }
    reply
}

/// How async-graphql marks a variable that holds an uploaded file.
const UPLOAD_MARK: &str = "#__graphql_file__:";

/// Why a request's file references are not its own, if they are not: a
/// mark written in the document, or one naming no file of the request.
fn forged_upload(request: &Request) -> Option<String> {
    if request.query.contains(UPLOAD_MARK) {
        return Some("files are sent as variables of a multipart request, not written in the query".into());
    }
    fn names_no_file(value: &async_graphql::Value, files: usize) -> bool {
        match value {
            async_graphql::Value::String(text) => text
                .strip_prefix(UPLOAD_MARK)
                .is_some_and(|index| index.parse::<usize>().map_or(true, |index| index >= files)),
            async_graphql::Value::List(items) => items.iter().any(|item| names_no_file(item, files)),
            async_graphql::Value::Object(fields) => fields.values().any(|field| names_no_file(field, files)),
            _ => false,
        }
    }
    request.variables.values().any(|value| names_no_file(value, request.uploads.len())).then(|| {
        "a variable names a file the request does not carry: send files as a multipart request".into()
    })
}

/// The key of an anonymous POST's exact body (with the media type it is
/// answered in): the same bytes ask the same thing, so an app resending its
/// query is answered before the body is even parsed. Kept beside the
/// normalized key, which serves the same query written differently.
fn body_key(req: &HttpRequest, body: &[u8], cache: &HttpCache) -> Option<String> {
    if !cache.keeps_bodies() || !matches!(caller(req), Ok(Viewer::Anonymous)) {
        return None;
    }
    let media = response_type(req)?;
    let body = std::str::from_utf8(body).ok()?;
    Some(compact_key(format!("POST /graphql body\n{media}\n{body}")))
}

/// What identifies an anonymous POSTed query: the media type it is answered
/// in, the operation, the document with insignificant white space and
/// commas folded away, and the variables.
fn post_key(media: &str, request: &Request) -> String {
    let variables = serde_json::to_string(&request.variables).unwrap_or_default();
    compact_key(format!(
        "POST /graphql\n{media}\n{}\n{}\n{variables}",
        request.operation_name.as_deref().unwrap_or(""),
        document::normalized(&request.query),
    ))
}

/// Every answer at `/graphql` depends on `Accept` (the media type, or GraphiQL
/// for a browser): caches, ours included, keep one answer per `Accept`.
pub(super) fn varies_on_accept(mut response: HttpResponse) -> HttpResponse {
    crate::http::vary::add(response.headers_mut(), "Accept");
    response
}

/// `POST /graphql`
pub async fn post(
    schemas: Data<Schemas>,
    persisted: Data<PersistedQueries>,
    services: Data<Services>,
    cache: Data<HttpCache>,
    req: HttpRequest,
    ip: ClientIp,
    body: RawJsonBody,
) -> HttpResponse {
    let body_key = body_key(&req, &body.0, &cache);
    if let Some(key) = &body_key
        && let Some(answer) = cache.answer(key, req.headers(), |s, k| services.is_fresh(s, k))
    {
        return varies_on_accept(answer);
    }
    let request = match body.parse::<Request>() {
        Ok(request) => request,
        Err(error) => return actix_web::ResponseError::error_response(&error),
    };
    let endpoint = Endpoint { schemas: &schemas, persisted: &persisted, services: &services, cache: &cache };
    varies_on_accept(execute(endpoint, &req, ip, request, body_key).await)
}

/// `GET /graphql`: a query in the query string, or GraphiQL for a browser.
pub async fn get(
    schemas: Data<Schemas>,
    persisted: Data<PersistedQueries>,
    services: Data<Services>,
    cache: Data<HttpCache>,
    req: HttpRequest,
    ip: ClientIp,
) -> HttpResponse {
    let endpoint = Endpoint { schemas: &schemas, persisted: &persisted, services: &services, cache: &cache };
    varies_on_accept(answer_get(endpoint, &req, ip).await)
}

async fn answer_get(endpoint: Endpoint<'_>, req: &HttpRequest, ip: ClientIp) -> HttpResponse {
    let wants_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html && req.query_string().is_empty() {
        return super::graphiql::page();
    }
    let media = response_type(req).unwrap_or(JSON);
    let request = match async_graphql::http::parse_query_string(req.query_string()) {
        Ok(request) => request,
        Err(error) => {
            let status = if media == GRAPHQL_RESPONSE { StatusCode::BAD_REQUEST } else { StatusCode::OK };
            return errors_only(
                status,
                media,
                vec![(format!("malformed GraphQL request: {error}"), ErrorCode::BadRequest.as_str())],
            );
        }
    };
    execute(endpoint, req, ip, request, None).await
}
