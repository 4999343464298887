//! The answers routes share, declared once per kind of route: the 304 of
//! every read, and the errors of signed-in, editor and admin routes. Each
//! route lists the groups it belongs to beside its own responses.

use std::collections::BTreeMap;

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};

use super::problem::CONTENT_TYPE;

/// A problem+json response with `description`.
pub fn problem(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(CONTENT_TYPE, ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
        .build()
}

/// Every read: its ETag answers `If-None-Match`.
pub struct Conditional;

impl utoipa::IntoResponses for Conditional {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let etag = HeaderBuilder::new()
            .schema(ObjectBuilder::new().schema_type(Type::String))
            .description(Some("The same ETag, still current"))
            .build();
        let response = ResponseBuilder::new()
            .description("Not modified since the ETag in `If-None-Match`")
            .header("ETag", etag)
            .build();
        BTreeMap::from([("304".to_owned(), RefOr::T(response))])
    }
}

/// Declares a group of responses: a unit type implementing `IntoResponses`.
macro_rules! responses {
    ($( $(#[doc = $doc:literal])+ $name:ident { $($status:literal => $description:literal),+ $(,)? } )+) => {$(
        $(#[doc = $doc])+
        pub struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                BTreeMap::from([$(
                    ($status.to_string(), RefOr::T(problem($description))),
                )+])
            }
        }
    )+};
}

responses! {
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
        400 => "`If-Match` is neither a version, an ETag this API sent, nor `*`",
        412 => "`If-Match` is stale: someone else changed it first",
    }
}
