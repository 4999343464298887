//! Request extractors: who is calling, from where, and JSON bodies whose
//! errors name the offending field.

use std::future::{Ready, ready};
use std::net::{IpAddr, Ipv4Addr};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::{Bytes, BytesMut, Data};
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::domain::{SessionId, Viewer};
use crate::error::AppError;
use crate::service::Services;

/// The caller: anonymous without an `Authorization` header, a verified
/// principal with a valid bearer token. A header that is present but wrong
/// (malformed, expired, forged) is refused with 401, never read as anonymous.
pub struct Caller(pub Viewer);

impl FromRequest for Caller {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(caller(req).map(Caller))
    }
}

/// Whether a body is `multipart/form-data` (an upload, REST or GraphQL).
pub fn is_multipart(headers: &header::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// The body's declared length, if it declares one.
pub fn declared_length(headers: &header::HeaderMap) -> Option<u64> {
    headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok())
}

/// The caller with the sign-in their token belongs to (none when anonymous,
/// or with a token of an earlier release): what changing a password keeps.
pub struct CallerSignIn {
    pub viewer: Viewer,
    pub session: Option<SessionId>,
}

impl FromRequest for CallerSignIn {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(caller_sign_in(req))
    }
}

/// Who is calling, from the `Authorization` header (REST and GraphQL alike).
pub fn caller(req: &HttpRequest) -> Result<Viewer, AppError> {
    caller_sign_in(req).map(|c| c.viewer)
}

/// Who is calling, and with which sign-in.
pub fn caller_sign_in(req: &HttpRequest) -> Result<CallerSignIn, AppError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(CallerSignIn { viewer: Viewer::Anonymous, session: None });
    };
    let malformed = || AppError::Unauthenticated("expected `Authorization: Bearer <access token>`".into());
    let value = value.to_str().map_err(|_| malformed())?;
    let (scheme, token) = value.trim().split_once(' ').ok_or_else(malformed)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(malformed());
    }
    let services = req
        .app_data::<Data<Services>>()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("services not registered")))?;
    let verified = services.verify_token(token)?;
    Ok(CallerSignIn { viewer: Viewer::User(verified.principal), session: verified.session })
}

/// Whether to believe `X-Forwarded-For` (only behind a proxy that sets it).
#[derive(Debug, Clone, Copy)]
pub struct ClientIpPolicy {
    pub trust_forwarded_for: bool,
}

/// The client's address, for per-address limits.
pub struct ClientIp(pub IpAddr);

impl FromRequest for ClientIp {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let trust = req.app_data::<Data<ClientIpPolicy>>().is_some_and(|p| p.trust_forwarded_for);
        let forwarded = trust
            .then(|| req.headers().get_all("x-forwarded-for").last())
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(forwarding_client);
        let peer = req.peer_addr().map(|a| a.ip());
        ready(Ok(ClientIp(forwarded.or(peer).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))))
    }
}

/// The client address in an `X-Forwarded-For` value: the last hop, the one
/// our own proxy appended. Whatever comes before it the client sent itself
/// and could have forged.
fn forwarding_client(value: &str) -> Option<IpAddr> {
    value.rsplit(',').next().and_then(|last| last.trim().parse().ok())
}

/// The most a JSON body may weigh.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// A JSON request body. Unlike `web::Json`, a value of the wrong type is a
/// `VALIDATION_FAILED` naming the field (`tags[2]`, `cover_image.url`).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let raw = RawJsonBody::from_request(req, payload);
        Box::pin(async move { raw.await?.parse().map(JsonBody) })
    }
}

/// A JSON request body, read (content type and size checked) but not yet
/// parsed: for answers that can be found by the body's exact bytes.
pub struct RawJsonBody(pub Bytes);

impl RawJsonBody {
    /// The body as a `T`, with the errors [`JsonBody`] gives.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        // Every body either API takes is an object; serde would otherwise
        // read an array into a struct's fields by position.
        let first = self.0.iter().find(|b| !b.is_ascii_whitespace());
        if first.is_some_and(|b| *b != b'{') {
            return Err(AppError::invalid("body", "must be a JSON object"));
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&self.0);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let path = error.path().to_string();
            let inner = error.into_inner();
            if inner.is_data() {
                let message = strip_position(&inner.to_string());
                AppError::invalid(field_of(&path, &message), message)
            } else {
                AppError::BadRequest(format!("malformed JSON: {inner}"))
            }
        })
    }
}

impl FromRequest for RawJsonBody {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<Data<BodyLimit>>().map_or(1 << 20, |l| l.0);
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|m| m.trim().to_ascii_lowercase())
            .is_some_and(|m| {
                m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
            });
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !json {
                return Err(AppError::BadRequest(
                    "expected a JSON body (Content-Type: application/json)".into(),
                ));
            }
            let too_large = || AppError::PayloadTooLarge(format!("the body is larger than {limit} bytes"));
            if declared.is_some_and(|n| n > limit) {
                return Err(too_large());
            }
            let mut body = BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk: Bytes =
                    chunk.map_err(|e| AppError::BadRequest(format!("unreadable body: {e}")))?;
                if body.len() + chunk.len() > limit {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(RawJsonBody(body.freeze()))
        })
    }
}

/// The field an error is about: its path, or for a missing member, the
/// member's own name (`missing field `title``), under the path of its object.
fn field_of(path: &str, message: &str) -> String {
    let missing = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
    match (path, missing) {
        (".", Some(name)) => name.to_owned(),
        (".", None) => "body".to_owned(),
        (path, Some(name)) => format!("{path}.{name}"),
        (path, None) => path.to_owned(),
    }
}

/// serde's messages end in " at line 1 column 12"; the field name says more.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_members_are_named() {
        assert_eq!(field_of(".", "missing field `title`"), "title");
        assert_eq!(field_of("cover_image", "missing field `url`"), "cover_image.url");
        assert_eq!(field_of("tags[1]", "invalid type: integer `7`, expected a string"), "tags[1]");
        assert_eq!(field_of(".", "invalid type: string, expected a map"), "body");
    }

    #[test]
    fn positions_are_trimmed() {
        assert_eq!(
            strip_position("invalid type: integer `5`, expected a string at line 1 column 12"),
            "invalid type: integer `5`, expected a string"
        );
        assert_eq!(strip_position("missing field `title`"), "missing field `title`");
    }
}
