//! Where deliveries may go: names are resolved here, and an address that is
//! not on the public internet is refused (unless the setting allows it), so
//! that a webhook cannot be pointed at the service's own network.

use std::net::SocketAddr;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::domain::webhook::is_public;

/// Resolves names and keeps only the addresses deliveries may reach.
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> =
                found.iter().copied().filter(|a| allow_private || is_public(a.ip())).collect();
            if allowed.is_empty() {
                let why =
                    if found.is_empty() { "resolves to no address" } else { "resolves to a private address" };
                return Err(format!("{host} {why}").into());
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}
