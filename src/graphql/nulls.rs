//! Field errors as the GraphQL spec handles them ("Handling Field Errors"):
//! a field that fails is `null` if its type allows it; a non-null field that
//! fails makes its parent `null` instead, and so on up to the nearest
//! nullable position (or `data` itself). The executor leaves a failed
//! field's key out of its parent; this puts the nulls where they belong.

use std::collections::HashMap;

use async_graphql::parser::types::{
    BaseType, DocumentOperations, ExecutableDocument, Selection, SelectionSet, Type, TypeKind,
    TypeSystemDefinition,
};
use async_graphql::{Name, PathSegment, Positioned, ServerError, Value};

/// The declared type of every field of every object and interface type.
pub struct FieldTypes {
    types: HashMap<String, HashMap<String, Type>>,
}

impl FieldTypes {
    /// Read from the schema's SDL.
    pub fn from_sdl(sdl: &str) -> Self {
        let mut types = HashMap::new();
        if let Ok(document) = async_graphql::parser::parse_schema(sdl) {
            for definition in document.definitions {
                let TypeSystemDefinition::Type(definition) = definition else { continue };
                let fields = match definition.node.kind {
                    TypeKind::Object(object) => object.fields,
                    TypeKind::Interface(interface) => interface.fields,
                    _ => continue,
                };
                let fields =
                    fields.into_iter().map(|f| (f.node.name.node.to_string(), f.node.ty.node)).collect();
                types.insert(definition.node.name.node.to_string(), fields);
            }
        }
        Self { types }
    }

    fn field(&self, owner: &str, name: &str) -> Option<&Type> {
        self.types.get(owner)?.get(name)
    }
}

/// Where the selection walk stands: the selection sets that apply, with the
/// type each is selected on.
type Scope<'a> = Vec<(&'a Positioned<SelectionSet>, String)>;

/// Puts the nulls a response's field errors call for into `data`.
pub fn propagate(
    data: &mut Value,
    errors: &[ServerError],
    query: &str,
    operation_name: Option<&str>,
    root: &str,
    types: &FieldTypes,
) {
    if errors.iter().all(|e| e.path.is_empty()) {
        return;
    }
    let Ok(document) = async_graphql::parser::parse_query(query) else { return };
    let operation = match &document.operations {
        DocumentOperations::Single(op) => Some(op),
        DocumentOperations::Multiple(ops) => match operation_name {
            Some(name) => ops.get(&Name::new(name)),
            None if ops.len() == 1 => ops.values().next(),
            None => None,
        },
    };
    let Some(operation) = operation else { return };
    for error in errors.iter().filter(|e| !e.path.is_empty()) {
        let Some(nullable) = nullability(&document, &operation.node.selection_set, root, &error.path, types)
        else {
            continue;
        };
        // The failed position, then each parent: the nearest nullable one is null.
        match (0..nullable.len()).rev().find(|&i| nullable[i]) {
            Some(i) => set_null(data, &error.path[..=i]),
            None => *data = Value::Null,
        }
    }
}

/// Whether each position along `path` may be null, per the schema; `None`
/// when the path cannot be followed through the document.
fn nullability(
    document: &ExecutableDocument,
    root_set: &Positioned<SelectionSet>,
    root: &str,
    path: &[PathSegment],
    types: &FieldTypes,
) -> Option<Vec<bool>> {
    let mut scope: Scope<'_> = vec![(root_set, root.to_owned())];
    let mut current: Option<Type> = None;
    let mut nullable = Vec::with_capacity(path.len());
    for segment in path {
        match segment {
            PathSegment::Field(key) => {
                let mut found: Option<Type> = None;
                let mut next: Scope<'_> = Vec::new();
                for (set, owner) in &scope {
                    collect(document, set, owner, key, types, &mut found, &mut next, 0);
                }
                let ty = found?;
                nullable.push(ty.nullable);
                current = Some(ty);
                scope = next;
            }
            PathSegment::Index(_) => {
                let BaseType::List(inner) = current?.base else { return None };
                nullable.push(inner.nullable);
                current = Some(*inner);
            }
        }
    }
    Some(nullable)
}

/// Finds the fields answered under `key` in `set` (selected on `owner`),
/// through fragments: their declared type, and their sub-selections with the
/// type those are selected on.
#[expect(clippy::too_many_arguments, reason = "one recursive walk, its state passed down")]
fn collect<'a>(
    document: &'a ExecutableDocument,
    set: &'a Positioned<SelectionSet>,
    owner: &str,
    key: &str,
    types: &FieldTypes,
    found: &mut Option<Type>,
    next: &mut Scope<'a>,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    for selection in &set.node.items {
        match &selection.node {
            Selection::Field(field) if field.node.response_key().node.as_str() == key => {
                let Some(ty) = types.field(owner, field.node.name.node.as_str()) else { continue };
                next.push((&field.node.selection_set, named(ty).to_owned()));
                found.get_or_insert_with(|| ty.clone());
            }
            Selection::Field(_) => {}
            Selection::InlineFragment(inline) => {
                let on = inline.node.type_condition.as_ref().map_or(owner, |c| c.node.on.node.as_str());
                collect(document, &inline.node.selection_set, on, key, types, found, next, depth + 1);
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                    let on = fragment.node.type_condition.node.on.node.as_str();
                    collect(document, &fragment.node.selection_set, on, key, types, found, next, depth + 1);
                }
            }
        }
    }
}

/// The named type under a type's list wrappers.
fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => named(inner),
    }
}

/// Sets the value at `path` to null, if its parent is still there.
fn set_null(data: &mut Value, path: &[PathSegment]) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut at = data;
    for segment in parents {
        at = match (segment, at) {
            (PathSegment::Field(key), Value::Object(object)) => match object.get_mut(key.as_str()) {
                Some(value) => value,
                None => return,
            },
            (PathSegment::Index(i), Value::List(items)) => match items.get_mut(*i) {
                Some(value) => value,
                None => return,
            },
            _ => return,
        };
    }
    match (last, at) {
        (PathSegment::Field(key), Value::Object(object)) => {
            object.insert(Name::new(key), Value::Null);
        }
        (PathSegment::Index(i), Value::List(items)) => {
            if let Some(item) = items.get_mut(*i) {
                *item = Value::Null;
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDL: &str = "
        type Query { article(slug: String): Article  articles: [Article!]!  users: [User!]!  tags: [String] }
        type Article { slug: String!  revisions: [Revision!]!  cover: Image  author: User! }
        type Revision { version: Int! }
        type Image { url: String! }
        type User { id: ID!  email: String }
    ";

    fn error(path: &[PathSegment]) -> ServerError {
        let mut error = ServerError::new("refused", None);
        error.path = path.to_vec();
        error
    }

    fn run(query: &str, data: serde_json::Value, path: &[PathSegment]) -> serde_json::Value {
        let mut data = Value::from_json(data).unwrap();
        propagate(&mut data, &[error(path)], query, None, "Query", &FieldTypes::from_sdl(SDL));
        data.into_json().unwrap()
    }

    fn key(k: &str) -> PathSegment {
        PathSegment::Field(k.to_owned())
    }

    #[test]
    fn a_failed_non_null_field_nulls_its_nullable_parent() {
        let data = run(
            "{ article(slug: \"a\") { slug revisions { version } } }",
            serde_json::json!({"article": {"slug": "a"}}),
            &[key("article"), key("revisions")],
        );
        assert_eq!(data, serde_json::json!({"article": null}));
    }

    #[test]
    fn a_failed_nullable_field_is_null() {
        let data = run(
            "{ article(slug: \"a\") { slug pic: cover { url } } }",
            serde_json::json!({"article": {"slug": "a"}}),
            &[key("article"), key("pic")],
        );
        assert_eq!(data, serde_json::json!({"article": {"slug": "a", "pic": null}}));
    }

    #[test]
    fn a_failed_non_null_root_field_nulls_data() {
        let data = run("{ tags users { id } }", serde_json::json!({"tags": ["x"]}), &[key("users")]);
        assert_eq!(data, serde_json::Value::Null);
    }

    #[test]
    fn through_lists_and_fragments() {
        let query = "{ articles { ...A } } fragment A on Article { slug author { id } }";
        let data = run(
            query,
            serde_json::json!({"articles": [{"slug": "a", "author": {"id": "1"}}, {"slug": "b"}]}),
            &[key("articles"), PathSegment::Index(1), key("author")],
        );
        // Article! in [Article!]! under a non-null root field: nothing nullable until data.
        assert_eq!(data, serde_json::Value::Null);
    }

    #[test]
    fn paths_the_document_does_not_explain_are_left_alone() {
        let data = run("{ tags }", serde_json::json!({"tags": ["x"]}), &[key("nope")]);
        assert_eq!(data, serde_json::json!({"tags": ["x"]}));
    }
}
