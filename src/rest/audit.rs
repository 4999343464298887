//! `/audit`: the log of staff actions, for admins.

use actix_web::http::header;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse, get};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::params::{self, IfNoneMatch, next_link};
use super::responses::{AdminsOnly, BadParameters, Conditional};
use super::views::Byline;
use crate::domain::audit::{self, AuditAction, AuditQuery, AuditTarget, target_filter};
use crate::domain::field::{AllValid, Invalid, optional};
use crate::domain::page::{CursorKind, TimeCursor};
use crate::domain::{UserId, Vocabulary};
use crate::error::AppError;
use crate::http::extract::Caller;
use crate::service::Services;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditListParams {
    /// Only what this account did.
    #[param(value_type = Option<Uuid>)]
    actor: Option<String>,
    /// Only this kind of action.
    #[param(value_type = Option<AuditAction>)]
    action: Option<String>,
    /// Only what was done to the thing with this id.
    #[param(value_type = Option<Uuid>)]
    target: Option<String>,
    /// From this time on (inclusive), RFC 3339.
    #[param(value_type = Option<DateTime<Utc>>)]
    from: Option<String>,
    /// Before this time (exclusive), RFC 3339.
    #[param(value_type = Option<DateTime<Utc>>)]
    to: Option<String>,
    /// Page size, 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

impl TryFrom<AuditListParams> for AuditQuery {
    type Error = Invalid;

    fn try_from(p: AuditListParams) -> Result<Self, Invalid> {
        let (actor, action, target, from, to, limit, after) = (
            optional(p.actor.as_deref(), |id| UserId::parse_field(id, "actor")),
            optional(p.action.as_deref(), |a| AuditAction::parse_field(a, "action")),
            optional(p.target.as_deref(), target_filter),
            params::time(p.from.as_deref(), "from"),
            params::time(p.to.as_deref(), "to"),
            params::limit(p.limit.as_deref(), "limit"),
            optional(p.cursor.as_deref(), |c| TimeCursor::decode(CursorKind::Audit, c, "cursor")),
        )
            .all_valid()?;
        Ok(Self { actor, action, target, from, to, limit, after })
    }
}

/// One staff action.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// Who did it; `null` for the scheduler (a scheduled publication, an
    /// expiry, a breaking-news window ending).
    pub actor: Option<Byline>,
    pub action: AuditAction,
    /// What kind of thing `target_id` names.
    pub target: AuditTarget,
    pub target_id: Uuid,
    /// The target's version before the action, where it has versions.
    pub before_version: Option<i64>,
    /// The target's version after the action, where it has versions.
    pub after_version: Option<i64>,
}

impl TryFrom<audit::AuditEntry> for AuditEntry {
    type Error = AppError;

    fn try_from(e: audit::AuditEntry) -> Result<Self, AppError> {
        Ok(Self {
            id: e.id.uuid(),
            at: e.at,
            actor: e.actor.map(Byline::from),
            action: e.action,
            target: e.target,
            target_id: Uuid::parse_str(&e.target_id).map_err(AppError::internal)?,
            before_version: e.before_version,
            after_version: e.after_version,
        })
    }
}

/// A page of the audit log, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditList {
    pub data: Vec<AuditEntry>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Read the audit log
///
/// Every staff action, newest first: who did what to which thing, when, and
/// the thing's version before and after where it has versions. Written in
/// the same transaction as the action itself. **Role: admin.**
#[utoipa::path(
    tag = "audit",
    params(AuditListParams, IfNoneMatch),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of the log", body = AuditList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when another page follows"),
                    ("ETag" = String))),
        Conditional,
        BadParameters,
        AdminsOnly,
    )
)]
#[get("/audit")]
pub async fn audit_log(
    services: Data<Services>,
    caller: Caller,
    params: Query<AuditListParams>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let query = AuditQuery::try_from(params.into_inner())?;
    let page = services.audit_log(caller.0, query).await?;
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next_cursor {
        response.insert_header((header::LINK, next_link(&req, cursor)));
    }
    Ok(response.json(AuditList {
        data: page.items.into_iter().map(AuditEntry::try_from).collect::<Result<_, _>>()?,
        next_cursor: page.next_cursor,
    }))
}
