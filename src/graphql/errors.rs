//! `AppError` as GraphQL errors: the same message and the same stable code,
//! in `extensions.code`, that REST puts in its problem details.

use async_graphql::{Error, ErrorExtensionValues, ErrorExtensions, Value};

use crate::error::{AppError, ErrorCode};

impl ErrorExtensions for AppError {
    fn extend(&self) -> Error {
        match self {
            AppError::Internal(cause) => tracing::error!(error = ?cause, "GraphQL request failed"),
            AppError::Unavailable(reason) => tracing::warn!(%reason, "service unavailable"),
            _ => {}
        }
        // Field names are GraphQL's own already: the inputs named them when
        // parsed. The fields an incomplete resource lacks are named by the
        // service, in the wire's snake case: here in GraphQL's camel case.
        let incomplete = matches!(self, AppError::Incomplete { .. });
        Error::new(self.public_message()).extend_with(|_, ext| {
            ext.set("code", self.code().as_str());
            let fields: Vec<Value> = self
                .field_errors()
                .iter()
                .map(|f| {
                    let mut entry = async_graphql::indexmap::IndexMap::new();
                    let field = if incomplete { camel_case(&f.field) } else { f.field.clone() };
                    entry.insert(async_graphql::Name::new("field"), Value::from(field));
                    entry.insert(async_graphql::Name::new("message"), Value::from(f.message.clone()));
                    Value::Object(entry)
                })
                .collect();
            if !fields.is_empty() {
                ext.set("fields", Value::List(fields));
            }
            match self {
                AppError::Conflict { current_status: Some(status), .. } => ext.set("currentStatus", *status),
                AppError::RateLimited { retry_after_secs } => ext.set("retryAfter", *retry_after_secs),
                _ => {}
            }
        })
    }
}

/// `cover_image.alt_text` as GraphQL spells it: `coverImage.altText`.
fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

/// Turns a service result (or a refused input) into a resolver result,
/// keeping the error code. (Plain `?` would also compile, through
/// async-graphql's blanket `From`, but would drop the code: resolvers always
/// go through this.)
pub trait Gql<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T, E: Into<AppError>> Gql<T> for Result<T, E> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| e.into().extend())
    }
}

/// The code of an error that carries none: a request the schema refused
/// (unknown field, wrong variable type, too deep or too costly).
pub fn ensure_code(extensions: &mut Option<ErrorExtensionValues>) {
    let values = extensions.get_or_insert_with(ErrorExtensionValues::default);
    if values.get("code").is_none() {
        values.set("code", ErrorCode::ValidationFailed.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_their_code() {
        let error = AppError::NotFound("article").extend();
        let code = error.extensions.as_ref().and_then(|e| e.get("code")).cloned();
        assert_eq!(code, Some(Value::from("NOT_FOUND")));
    }
}
