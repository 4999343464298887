//! What every resolver can reach: the services, and per request the caller
//! and a cache of the section tree (read at most once per request).

use std::net::{IpAddr, Ipv4Addr};

use async_graphql::Context;
use tokio::sync::OnceCell;

use super::errors::Gql;
use crate::domain::taxonomy::Category;
use crate::domain::{SessionId, Viewer};
use crate::service::Services;

pub struct RequestContext {
    pub viewer: Viewer,
    /// The sign-in the caller's token belongs to (what changing a password keeps).
    pub session: Option<SessionId>,
    pub ip: IpAddr,
    categories: OnceCell<Vec<Category>>,
}

impl RequestContext {
    pub fn new(viewer: Viewer, ip: IpAddr) -> Self {
        Self { viewer, session: None, ip, categories: OnceCell::new() }
    }

    /// The same, naming the caller's sign-in.
    pub fn signed_in_as(mut self, session: Option<SessionId>) -> Self {
        self.session = session;
        self
    }
}

impl Default for RequestContext {
    fn default() -> Self {
        Self::new(Viewer::Anonymous, IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }
}

pub fn services<'a>(ctx: &Context<'a>) -> &'a Services {
    ctx.data_unchecked::<Services>()
}

pub fn request<'a>(ctx: &Context<'a>) -> &'a RequestContext {
    ctx.data_unchecked::<RequestContext>()
}

pub fn viewer(ctx: &Context<'_>) -> Viewer {
    request(ctx).viewer
}

/// Every section, loaded once per request however many fields need them.
pub async fn categories<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a [Category]> {
    let services = services(ctx);
    request(ctx)
        .categories
        .get_or_try_init(|| async { services.list_categories().await.gql() })
        .await
        .map(Vec::as_slice)
}
