//! The answers routes share, declared once per kind of route: the 304 of
//! every read, and the errors of signed-in, editor and admin routes. Each
//! route lists the groups it belongs to beside its own responses.

use std::collections::BTreeMap;

use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};

use super::problem::CONTENT_TYPE;

/// A problem+json response with `description`.
pub fn problem(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(CONTENT_TYPE, ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
        .build()
}

/// Declares a group of responses: a unit type implementing `IntoResponses`.
macro_rules! responses {
    ($( $(#[doc = $doc:literal])+ $name:ident { $($status:literal => $description:literal $(as $kind:ident)?),+ $(,)? } )+) => {$(
        $(#[doc = $doc])+
        pub struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                BTreeMap::from([$(
                    ($status.to_string(), RefOr::T(responses!(@response $description $($kind)?))),
                )+])
            }
        }
    )+};
    (@response $description:literal) => { problem($description) };
    (@response $description:literal empty) => { ResponseBuilder::new().description($description).build() };
}

responses! {
    /// Every read: its ETag answers `If-None-Match`.
    Conditional {
        304 => "Not modified since the ETag in `If-None-Match`" as empty,
    }
    /// Reads with query parameters.
    BadParameters {
        400 => "A parameter is invalid",
    }
    /// Writes with a JSON body.
    BadBody {
        400 => "Invalid input",
        413 => "Body too large",
    }
    /// Writes with a JSON body whose own 400 says more.
    TooLarge {
        413 => "Body too large",
    }
    /// Routes for any signed-in user.
    SignedIn {
        401 => "No valid token",
    }
    /// Routes for authors and up.
    AuthorsAndUp {
        401 => "No valid token",
        403 => "Readers cannot do this",
    }
    /// Routes for editors and admins.
    EditorsOnly {
        401 => "No valid token",
        403 => "Editors only",
    }
    /// Routes for admins.
    AdminsOnly {
        401 => "No valid token",
        403 => "Admins only",
    }
    /// Writes that may carry `If-Match`.
    Versioned {
        412 => "`If-Match` is stale: someone else changed it first",
    }
}
