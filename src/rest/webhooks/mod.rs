//! `/webhooks`: endpoints that hear of published stories and comments,
//! their delivery log, and redelivery. Admins only.
//!
//! Each delivery is a `POST` of `{type, timestamp, data, purge_keys}`
//! signed as Standard Webhooks defines: `webhook-id`, `webhook-timestamp`
//! and `webhook-signature` (`v1,` and the base64 HMAC-SHA256 of
//! `{id}.{timestamp}.{body}` keyed with the secret's bytes).

mod views;

use actix_web::http::header;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::params::{self, IfNoneMatch, next_link};
use super::problem::Problem;
use super::responses::{AdminsOnly, BadBody, BadParameters, Conditional};
use crate::domain::Vocabulary;
use crate::domain::field::{AllValid, FieldError, Invalid, optional};
use crate::domain::ids::DeliveryId;
use crate::domain::page::{CursorKind, TimeCursor};
use crate::domain::webhook::{WebhookEvent, WebhookUrl};
use crate::error::AppError;
use crate::http::extract::{Caller, JsonBody};
use crate::service::Services;
use crate::service::webhooks::{NewWebhook, WebhookPatch};
pub use views::{Attempt, Delivery, DeliveryList, Webhook, WebhookList};

/// A webhook to register, or changes to one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookBody {
    /// Absolute http(s); private, loopback and link-local addresses are
    /// refused unless `--webhook-allow-private`.
    #[schema(example = "https://hooks.example.com/newsdesk")]
    pub url: Option<String>,
    /// `article.published`, `article.updated`, `article.unpublished`,
    /// `article.deleted`, `comment.created`, `comment.hidden`.
    #[schema(example = json!(["article.published", "article.updated", "article.unpublished", "article.deleted"]))]
    pub events: Option<Vec<String>>,
    /// On by default.
    pub enabled: Option<bool>,
}

fn events(raw: &[String], field: &str) -> Result<Vec<WebhookEvent>, FieldError> {
    let mut events = Vec::new();
    for name in raw {
        let event = WebhookEvent::parse_field(name, field)?;
        if !events.contains(&event) {
            events.push(event);
        }
    }
    if events.is_empty() {
        return Err(FieldError::new(field, "must name at least one event"));
    }
    Ok(events)
}

impl TryFrom<WebhookBody> for NewWebhook {
    type Error = Invalid;

    fn try_from(b: WebhookBody) -> Result<Self, Invalid> {
        let (url, events) = (
            match b.url.as_deref() {
                Some(url) => WebhookUrl::parse(url, "url"),
                None => Err(FieldError::new("url", "is required")),
            },
            match b.events.as_deref() {
                Some(raw) => events(raw, "events"),
                None => Err(FieldError::new("events", "is required")),
            },
        )
            .all_valid()?;
        Ok(Self { url, events, enabled: b.enabled.unwrap_or(true) })
    }
}

impl TryFrom<WebhookBody> for WebhookPatch {
    type Error = Invalid;

    fn try_from(b: WebhookBody) -> Result<Self, Invalid> {
        let (url, events) = (
            optional(b.url.as_deref(), |u| WebhookUrl::parse(u, "url")),
            b.events.as_deref().map(|raw| events(raw, "events")).transpose(),
        )
            .all_valid()?;
        Ok(Self { url, events, enabled: b.enabled })
    }
}

/// Register a webhook
///
/// Its `secret` is in this answer only: keep it to verify deliveries.
/// **Role: admin.**
#[utoipa::path(
    tag = "webhooks",
    request_body = WebhookBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The webhook, with its secret", body = Webhook, headers(("Location" = String))),
        BadBody,
        AdminsOnly,
        (status = 409, description = "As many webhooks as a site may have", body = Problem),
    )
)]
#[post("/webhooks")]
pub async fn create_webhook(
    services: Data<Services>,
    caller: Caller,
    body: JsonBody<WebhookBody>,
) -> Result<HttpResponse, AppError> {
    let new: NewWebhook = body.0.try_into()?;
    let created = services.create_webhook(caller.0, new).await?;
    let location = format!("/api/v1/webhooks/{}", created.webhook.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(Webhook::new(created.webhook, Some(created.secret))))
}

/// List webhooks
///
/// **Role: admin.**
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(IfNoneMatch),
    responses(
        (status = 200, description = "Every webhook, oldest first", body = WebhookList, headers(("ETag" = String))),
        Conditional,
        AdminsOnly,
    )
)]
#[get("/webhooks")]
pub async fn list_webhooks(services: Data<Services>, caller: Caller) -> Result<HttpResponse, AppError> {
    let all = services.list_webhooks(caller.0).await?;
    Ok(HttpResponse::Ok()
        .json(WebhookList { data: all.into_iter().map(|w| Webhook::new(w, None)).collect() }))
}

/// Get a webhook
///
/// **Role: admin.**
#[utoipa::path(
    tag = "webhooks",
    params(("id" = uuid::Uuid, Path, description = "The webhook's id"), IfNoneMatch),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The webhook", body = Webhook, headers(("ETag" = String))),
        Conditional,
        AdminsOnly,
        (status = 404, description = "No such webhook", body = Problem),
    )
)]
#[get("/webhooks/{id}")]
pub async fn get_webhook(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    let hook = services.get_webhook(caller.0, &path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Webhook::new(hook, None)))
}

/// Change a webhook
///
/// Members left out stay as they are. `enabled: true` turns on a webhook
/// disabled for failing, and its waiting deliveries resume. **Role: admin.**
#[utoipa::path(
    tag = "webhooks",
    params(("id" = uuid::Uuid, Path, description = "The webhook's id")),
    request_body = WebhookBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The webhook", body = Webhook),
        BadBody,
        AdminsOnly,
        (status = 404, description = "No such webhook", body = Problem),
    )
)]
#[patch("/webhooks/{id}")]
pub async fn update_webhook(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    body: JsonBody<WebhookBody>,
) -> Result<HttpResponse, AppError> {
    let patch: WebhookPatch = body.0.try_into()?;
    let hook = services.update_webhook(caller.0, &path.into_inner(), patch).await?;
    Ok(HttpResponse::Ok().json(Webhook::new(hook, None)))
}

/// Delete a webhook
///
/// With its deliveries and their log. **Role: admin.**
#[utoipa::path(
    tag = "webhooks",
    params(("id" = uuid::Uuid, Path, description = "The webhook's id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        AdminsOnly,
        (status = 404, description = "No such webhook", body = Problem),
    )
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    services.delete_webhook(caller.0, &path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryListParams {
    /// Page size, 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// A webhook's deliveries
///
/// Newest first, each with every attempt: when, the endpoint's status,
/// latency and the start of its answer, or why it did not answer.
/// **Role: admin.**
#[utoipa::path(
    tag = "webhooks",
    params(("id" = uuid::Uuid, Path, description = "The webhook's id"), DeliveryListParams, IfNoneMatch),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of deliveries", body = DeliveryList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when another page follows"), ("ETag" = String))),
        Conditional,
        BadParameters,
        AdminsOnly,
        (status = 404, description = "No such webhook", body = Problem),
    )
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_deliveries(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    params: Query<DeliveryListParams>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let (limit, after) = (
        params::limit(params.limit.as_deref(), "limit"),
        optional(params.cursor.as_deref(), |c| {
            TimeCursor::<DeliveryId>::decode(CursorKind::Deliveries, c, "cursor")
        }),
    )
        .all_valid()?;
    let page = services.webhook_deliveries(caller.0, &path.into_inner(), limit, after).await?;
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next_cursor {
        response.insert_header((header::LINK, next_link(&req, cursor)));
    }
    Ok(response.json(DeliveryList {
        data: page.items.into_iter().map(Delivery::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Deliver an event again
///
/// A new delivery of the same event (the same `webhook-id`), due now, with
/// an attempt log of its own. **Role: admin.**
#[utoipa::path(
    tag = "webhooks",
    params(
        ("id" = uuid::Uuid, Path, description = "The webhook's id"),
        ("delivery_id" = uuid::Uuid, Path, description = "A delivery of the event to send again"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "The new delivery, pending", body = Delivery),
        AdminsOnly,
        (status = 404, description = "No such webhook or delivery", body = Problem),
        (status = 409, description = "The webhook is disabled", body = Problem),
    )
)]
#[post("/webhooks/{id}/deliveries/{delivery_id}/redeliver")]
pub async fn redeliver(
    services: Data<Services>,
    caller: Caller,
    path: Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, delivery) = path.into_inner();
    let fresh = services.redeliver(caller.0, &id, &delivery).await?;
    Ok(HttpResponse::Accepted().json(Delivery::from(fresh)))
}
