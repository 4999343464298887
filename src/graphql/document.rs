//! What a GraphQL document asks for, read before it runs: which kind of
//! operation, and whether it only introspects the schema.

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
};
use async_graphql::{Name, Positioned};

/// A document's operation, as far as it can be told before running it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// `None` when several operations are given and none is named.
    pub kind: Option<OperationType>,
    /// Only `__schema`, `__type` and `__typename` at the root: what GraphiQL,
    /// Apollo tooling and code generators send to learn the schema.
    pub introspection_only: bool,
}

/// Reads `query`; the error is the parser's message.
pub fn read(query: &str, operation_name: Option<&str>) -> Result<Operation, String> {
    let document = async_graphql::parser::parse_query(query).map_err(|e| e.to_string())?;
    let chosen = match &document.operations {
        DocumentOperations::Single(op) => Some(op),
        DocumentOperations::Multiple(ops) => match operation_name {
            Some(name) => ops.iter().find(|(n, _)| n.as_str() == name).map(|(_, op)| op),
            // One named operation runs without being named in the request.
            None if ops.len() == 1 => ops.values().next(),
            None => None,
        },
    };
    Ok(match chosen {
        Some(op) => Operation {
            kind: Some(op.node.ty),
            introspection_only: op.node.ty == OperationType::Query
                && introspects_only(&document, &op.node.selection_set, 0),
        },
        None => Operation { kind: None, introspection_only: false },
    })
}

/// The document with comments, commas and runs of white space outside
/// strings folded to single spaces: two requests that differ only in layout
/// ask the same thing.
pub fn normalized(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut chars = query.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
                // A string, block strings included, is copied as it is.
                let mut escaped = false;
                for s in chars.by_ref() {
                    out.push(s);
                    if escaped {
                        escaped = false;
                    } else if s == '\\' {
                        escaped = true;
                    } else if s == '"' {
                        break;
                    }
                }
            }
            '#' => {
                for s in chars.by_ref() {
                    if s == '\n' {
                        break;
                    }
                }
                pending_space = true;
            }
            c if c.is_whitespace() || c == ',' => pending_space = true,
            c => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    out
}

/// Whether every root field of `set` (through fragments) is an introspection field.
fn introspects_only(document: &ExecutableDocument, set: &Positioned<SelectionSet>, depth: usize) -> bool {
    // Fragments that spread into themselves are refused by validation; this
    // only keeps the walk finite until then.
    if depth > 16 {
        return false;
    }
    !set.node.items.is_empty()
        && set.node.items.iter().all(|selection| match &selection.node {
            Selection::Field(field) => {
                matches!(field.node.name.node.as_str(), "__schema" | "__type" | "__typename")
            }
            Selection::InlineFragment(inline) => {
                introspects_only(document, &inline.node.selection_set, depth + 1)
            }
            Selection::FragmentSpread(spread) => document
                .fragments
                .get(&Name::new(spread.node.fragment_name.node.as_str()))
                .is_some_and(|f| introspects_only(document, &f.node.selection_set, depth + 1)),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_kind_of_operation() {
        assert_eq!(read("{ tags { slug } }", None).unwrap().kind, Some(OperationType::Query));
        assert_eq!(
            read("mutation { logout(refreshToken: \"x\") }", None).unwrap().kind,
            Some(OperationType::Mutation)
        );
        let two = "query A { tags { slug } } mutation B { logout(refreshToken: \"x\") }";
        assert_eq!(read(two, None).unwrap().kind, None);
        assert_eq!(read(two, Some("B")).unwrap().kind, Some(OperationType::Mutation));
        assert!(read("{ tags {", None).is_err());
    }

    #[test]
    fn layout_does_not_change_what_is_asked() {
        let a = "query Feed($n: Int) {\n  articles(first: $n) { nodes { slug, title } } # the feed\n}";
        let b = "query Feed($n: Int) { articles(first: $n) { nodes { slug title } } }";
        assert_eq!(normalized(a), normalized(b));
        assert_eq!(normalized("{ a(x: \"two  spaces, a comma\") }"), "{ a(x: \"two  spaces, a comma\") }");
        assert_ne!(normalized("{ a }"), normalized("{ b }"));
    }

    #[test]
    fn knows_introspection_when_it_sees_it() {
        let standard = "query IntrospectionQuery { __schema { queryType { name } ...Rest } } \
                        fragment Rest on __Schema { types { name } }";
        assert!(read(standard, None).unwrap().introspection_only);
        assert!(
            read("{ __typename ... on Query { __type(name: \"Tag\") { name } } }", None)
                .unwrap()
                .introspection_only
        );
        assert!(!read("{ __schema { types { name } } tags { slug } }", None).unwrap().introspection_only);
        assert!(!read("{ ...F } fragment F on Query { tags { slug } }", None).unwrap().introspection_only);
        assert!(!read("mutation { __typename }", None).unwrap().introspection_only);
        let named = "query Named { __schema { types { name } } }";
        assert!(read(named, None).unwrap().introspection_only, "one named operation");
    }
}
