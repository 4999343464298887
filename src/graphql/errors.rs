//! `AppError` as GraphQL errors: the same message and the same stable code,
//! in `extensions.code`, that REST puts in its problem details.

use async_graphql::{Error, ErrorExtensionValues, ErrorExtensions, Value};

use crate::error::{AppError, AppResult, ErrorCode};

/// REST names fields in snake_case and by query parameter; GraphQL clients
/// know them by their camelCase argument names.
fn graphql_field(field: &str) -> String {
    match field {
        "q" => return "search".to_owned(),
        "from" => return "publishedAfter".to_owned(),
        "to" => return "publishedBefore".to_owned(),
        "limit" => return "first".to_owned(),
        "cursor" => return "after".to_owned(),
        _ => {}
    }
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

impl ErrorExtensions for AppError {
    fn extend(&self) -> Error {
        match self {
            AppError::Internal(cause) => tracing::error!(error = ?cause, "GraphQL request failed"),
            AppError::Unavailable(reason) => tracing::warn!(%reason, "service unavailable"),
            _ => {}
        }
        let message = match self {
            AppError::Validation(fields) => format!(
                "invalid input: {}",
                fields
                    .iter()
                    .map(|f| format!("{}: {}", graphql_field(&f.field), f.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            other => other.public_message(),
        };
        Error::new(message).extend_with(|_, ext| {
            ext.set("code", self.code().as_str());
            let fields: Vec<Value> = self
                .field_errors()
                .iter()
                .map(|f| {
                    let mut entry = async_graphql::indexmap::IndexMap::new();
                    entry.insert(async_graphql::Name::new("field"), Value::from(graphql_field(&f.field)));
                    entry.insert(async_graphql::Name::new("message"), Value::from(f.message.clone()));
                    Value::Object(entry)
                })
                .collect();
            if !fields.is_empty() {
                ext.set("fields", Value::List(fields));
            }
            match self {
                AppError::Conflict { current_status: Some(status), .. } => {
                    ext.set("currentStatus", status.clone())
                }
                AppError::RateLimited { retry_after_secs } => ext.set("retryAfter", *retry_after_secs),
                _ => {}
            }
        })
    }
}

/// Turns a service result into a resolver result, keeping the error code.
/// (Plain `?` would also compile, through async-graphql's blanket `From`,
/// but would drop the code: resolvers always go through this.)
pub trait Gql<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> Gql<T> for AppResult<T> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| e.extend())
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
    fn field_names_follow_graphql() {
        assert_eq!(graphql_field("parent_id"), "parentId");
        assert_eq!(graphql_field("cover_image.url"), "coverImage.url");
        assert_eq!(graphql_field("q"), "search");
        assert_eq!(graphql_field("title"), "title");
    }

    #[test]
    fn errors_carry_their_code() {
        let error = AppError::NotFound("article").extend();
        let code = error.extensions.as_ref().and_then(|e| e.get("code")).cloned();
        assert_eq!(code, Some(Value::from("NOT_FOUND")));
    }
}
