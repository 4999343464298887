//! Refused input, named by field. Values are parsed where a request arrives,
//! each by the adapter that knows the field's public name, and every refused
//! field of one input is reported at once.

use std::fmt;

/// A problem with one input field, reported back to the caller by name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// The input that was refused: a JSON member, query parameter, argument or header.
    pub field: String,
    /// Why, in words a client developer can act on.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// An input refused, with every field at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    /// The refusals of several parts of one input, in order.
    pub fn merge(parts: impl IntoIterator<Item = Invalid>) -> Self {
        Self(parts.into_iter().flat_map(|p| p.0).collect())
    }
}

impl From<FieldError> for Invalid {
    fn from(error: FieldError) -> Self {
        Self(vec![error])
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid input: ")?;
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

/// A tuple of parsed fields: all their values, or all their refusals.
///
/// ```text
/// let (title, slug) = (Title::parse(&raw.title, "title"), Slug::parse(&raw.slug, "slug")).all_valid()?;
/// ```
pub trait AllValid {
    type Output;
    fn all_valid(self) -> Result<Self::Output, Invalid>;
}

macro_rules! all_valid_for_tuples {
    ($( ($($value:ident $error:ident),+) )+) => {$(
        impl<$($value, $error: Into<Invalid>),+> AllValid for ($(Result<$value, $error>,)+) {
            type Output = ($($value,)+);

            #[allow(non_snake_case, reason = "the tuple's parts are named after their types")]
            fn all_valid(self) -> Result<Self::Output, Invalid> {
                let ($($value,)+) = self;
                match ($($value,)+) {
                    ($(Ok($value),)+) => Ok(($($value,)+)),
                    ($($value,)+) => Err(Invalid::merge([$($value.err().map(Into::into),)+].into_iter().flatten())),
                }
            }
        }
    )+};
}

all_valid_for_tuples! {
    (A EA)
    (A EA, B EB)
    (A EA, B EB, C EC)
    (A EA, B EB, C EC, D ED)
    (A EA, B EB, C EC, D ED, E EE)
    (A EA, B EB, C EC, D ED, E EE, F EF)
    (A EA, B EB, C EC, D ED, E EE, F EF, G EG)
    (A EA, B EB, C EC, D ED, E EE, F EF, G EG, H EH)
    (A EA, B EB, C EC, D ED, E EE, F EF, G EG, H EH, I EI)
    (A EA, B EB, C EC, D ED, E EE, F EF, G EG, H EH, I EI, J EJ)
    (A EA, B EB, C EC, D ED, E EE, F EF, G EG, H EH, I EI, J EJ, K EK)
    (A EA, B EB, C EC, D ED, E EE, F EF, G EG, H EH, I EI, J EJ, K EK, L EL)
}

/// A parsed value, and the name its caller gave the field it came in: for
/// refusals found only later, against stored data (a slug no section has).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named<T> {
    pub value: T,
    pub field: &'static str,
}

impl<T> Named<T> {
    pub fn new(value: T, field: &'static str) -> Self {
        Self { value, field }
    }

    /// A refusal of this field.
    pub fn refuse(&self, message: impl Into<String>) -> FieldError {
        FieldError::new(self.field, message)
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Named<U> {
        Named { value: f(self.value), field: self.field }
    }
}

/// Parses an optional input: absent stays absent, present must be valid.
pub fn optional<T, E>(raw: Option<&str>, parse: impl FnOnce(&str) -> Result<T, E>) -> Result<Option<T>, E> {
    raw.map(parse).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(n: i32) -> Result<i32, FieldError> {
        Ok(n)
    }

    fn bad(field: &str) -> Result<i32, FieldError> {
        Err(FieldError::new(field, "is wrong"))
    }

    #[test]
    fn all_values_when_all_are_valid() {
        assert_eq!((ok(1), ok(2), ok(3)).all_valid(), Ok((1, 2, 3)));
    }

    #[test]
    fn every_refusal_at_once_in_order() {
        let Err(Invalid(errors)) = (bad("a"), ok(2), bad("c")).all_valid() else { panic!("refused") };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["a", "c"]);
    }

    #[test]
    fn nested_refusals_are_flattened() {
        let inner: Result<(i32, i32), Invalid> = (bad("x"), bad("y")).all_valid();
        let Err(Invalid(errors)) = (inner, bad("z")).all_valid() else { panic!("refused") };
        assert_eq!(errors.len(), 3);
        assert_eq!(Invalid(errors).to_string(), "invalid input: x: is wrong; y: is wrong; z: is wrong");
    }
}
