//! The domain's closed vocabularies (statuses, roles) as GraphQL enums, read
//! from the domain types themselves: `IN_REVIEW` for `in_review`.

use std::borrow::Cow;

use async_graphql::parser::types::Field;
use async_graphql::registry::{MetaEnumValue, MetaType, MetaTypeId, Registry};
use async_graphql::{
    ContextSelectionSet, InputType, InputValueError, InputValueResult, Name, OutputType, Positioned,
    ServerResult, Value,
};

use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::correction::CorrectionKind;
use crate::domain::diff::TextChange;
use crate::domain::moderation::ReportReason;
use crate::domain::{ArticleStatus, CommentStatus, CommentsMode, Role, Vocabulary};

fn graphql_name<V: Vocabulary>(value: V) -> String {
    value.as_str().to_ascii_uppercase()
}

fn register<V: Vocabulary>() -> MetaType {
    MetaType::Enum {
        name: V::NAME.to_owned(),
        description: Some(V::description()),
        enum_values: V::ALL
            .iter()
            .map(|&value| {
                let name = graphql_name(value);
                let meta = MetaEnumValue {
                    name: name.clone(),
                    description: value.meaning().map(str::to_owned),
                    deprecation: Default::default(),
                    visible: None,
                    inaccessible: false,
                    tags: Vec::new(),
                    directive_invocations: Vec::new(),
                };
                (name, meta)
            })
            .collect(),
        visible: None,
        inaccessible: false,
        tags: Vec::new(),
        rust_typename: Some(std::any::type_name::<V>()),
        directive_invocations: Vec::new(),
        requires_scopes: Vec::new(),
    }
}

fn parse<V: Vocabulary + InputType>(value: Option<Value>) -> InputValueResult<V> {
    let value = value.unwrap_or_default();
    let name = match &value {
        Value::Enum(name) => name.as_str(),
        Value::String(name) => name.as_str(),
        _ => return Err(InputValueError::expected_type(value)),
    };
    V::ALL.iter().copied().find(|v| graphql_name(*v) == name).ok_or_else(|| {
        InputValueError::custom(format_args!(r#"Enumeration type does not contain value "{name}"."#))
    })
}

fn to_value<V: Vocabulary>(value: V) -> Value {
    Value::Enum(Name::new(graphql_name(value)))
}

macro_rules! graphql_enums {
    ($($ty:ty),+) => {$(
        impl InputType for $ty {
            type RawValueType = Self;

            fn type_name() -> Cow<'static, str> {
                Cow::Borrowed(<$ty as Vocabulary>::NAME)
            }

            fn create_type_info(registry: &mut Registry) -> String {
                registry.create_input_type::<Self, _>(MetaTypeId::Enum, |_| register::<$ty>())
            }

            fn parse(value: Option<Value>) -> InputValueResult<Self> {
                parse(value)
            }

            fn to_value(&self) -> Value {
                to_value(*self)
            }

            fn as_raw_value(&self) -> Option<&Self::RawValueType> {
                Some(self)
            }
        }

        impl OutputType for $ty {
            fn type_name() -> Cow<'static, str> {
                Cow::Borrowed(<$ty as Vocabulary>::NAME)
            }

            fn create_type_info(registry: &mut Registry) -> String {
                registry.create_output_type::<Self, _>(MetaTypeId::Enum, |_| register::<$ty>())
            }

            async fn resolve(&self, _: &ContextSelectionSet<'_>, _: &Positioned<Field>) -> ServerResult<Value> {
                Ok(to_value(*self))
            }
        }
    )+};
}

graphql_enums!(
    ArticleStatus,
    AuditAction,
    AuditTarget,
    CommentStatus,
    CommentsMode,
    CorrectionKind,
    ReportReason,
    Role,
    TextChange
);
