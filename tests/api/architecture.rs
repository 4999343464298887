//! The layering, checked: what each top folder of `src/` may use of the
//! others. `domain` ← `db` ← `service` ← `http` ← {`rest`, `graphql`}; the two
//! adapters never use each other, and only `service` reaches the database.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs" || e == "py") {
            out.push(path);
        }
    }
}

/// Every source file under `src/<folder>`, with its text.
fn folder(name: &str) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(name), &mut files);
    assert!(!files.is_empty(), "src/{name} has sources");
    files.into_iter().map(|path| (path.clone(), std::fs::read_to_string(path).unwrap())).collect()
}

/// Fails naming the first file of `from` that mentions any of `forbidden`.
fn refuse(from: &str, forbidden: &[&str], why: &str) {
    for (path, text) in folder(from) {
        for word in forbidden {
            assert!(!text.contains(word), "{} uses {word}: {why}", path.display());
        }
    }
}

/// The top folders (and top files) of `src/` that `text` uses, `crate::x` or `$crate::x`.
fn uses(text: &str) -> Vec<String> {
    let mut found: Vec<String> = text
        .match_indices("crate::")
        .filter_map(|(at, _)| {
            let rest = &text[at + "crate::".len()..];
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            (!name.is_empty()).then_some(name)
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn the_domain_uses_nothing_of_ours_nor_any_framework() {
    for (path, text) in folder("domain") {
        for used in uses(&text) {
            assert_eq!(used, "domain", "{} uses crate::{used}: the domain stands alone", path.display());
        }
    }
    refuse(
        "domain",
        &["actix", "diesel", "async_graphql", "utoipa"],
        "the domain knows no framework; adapters implement their traits for its types",
    );
}

#[test]
fn the_database_layer_serves_the_services_and_uses_no_layer_above() {
    refuse(
        "db",
        &["crate::service", "crate::http", "crate::rest", "crate::graphql", "crate::config"],
        "the database layer is below them",
    );
}

#[test]
fn image_work_knows_only_the_domain() {
    refuse(
        "media",
        &[
            "crate::service",
            "crate::db",
            "crate::http",
            "crate::rest",
            "crate::graphql",
            "crate::config",
            "actix",
        ],
        "decoding, resizing and storing images serve the services and know nothing above them",
    );
}

#[test]
fn services_know_no_transport() {
    refuse(
        "service",
        &[
            "crate::http",
            "crate::rest",
            "crate::graphql",
            "crate::config",
            "actix",
            "async_graphql",
            "utoipa",
        ],
        "services are called by the adapters, never the other way round",
    );
}

#[test]
fn adapters_do_not_touch_the_database() {
    for adapter in ["http", "rest", "graphql"] {
        refuse(adapter, &["crate::db", "diesel::"], "go through the service layer");
    }
}

#[test]
fn the_shared_http_layer_serves_both_adapters_and_knows_neither() {
    refuse("http", &["crate::rest", "crate::graphql"], "both adapters build on it");
}

#[test]
fn the_adapters_do_not_use_each_other() {
    refuse("rest", &["crate::graphql"], "what both need belongs in src/http or below");
    refuse("graphql", &["crate::rest"], "what both need belongs in src/http or below");
}

#[test]
fn the_checks_see_what_they_check() {
    assert_eq!(uses("use crate::db::DbConn; $crate::domain::Vocabulary"), ["db", "domain"]);
    assert!(folder("rest").iter().any(|(_, text)| text.contains("crate::service")));
}

#[test]
fn source_files_stay_small() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "bench"] {
        sources(&root.join(dir), &mut files);
    }
    for file in files {
        let lines = std::fs::read_to_string(&file).unwrap().lines().count();
        assert!(lines <= 420, "{} has {lines} lines: split it by job", file.display());
    }
}
