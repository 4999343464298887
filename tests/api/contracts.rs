//! The checked-in contracts (`openapi/openapi.json`, `schema.graphql`) must be
//! what the code produces. To regenerate both after an intended change:
//! `UPDATE_CONTRACTS=1 cargo test --test api contracts`.

use std::path::Path;

fn check(relative: &str, generated: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    if std::env::var_os("UPDATE_CONTRACTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "{relative} is not what the code produces; run `UPDATE_CONTRACTS=1 cargo test --test api contracts` and commit the result"
    );
}

#[test]
fn openapi_json_is_up_to_date() {
    check("openapi/openapi.json", &newsdesk::rest::openapi::document_json());
}

#[test]
fn schema_graphql_is_up_to_date() {
    check("schema.graphql", &newsdesk::graphql::sdl());
}
