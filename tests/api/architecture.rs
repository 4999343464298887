//! The layering, checked: the REST and GraphQL adapters reach the database
//! only through the service layer, never directly.

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn adapters_do_not_touch_the_database() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for adapter in ["rest", "graphql"] {
        sources(&root.join(adapter), &mut files);
    }
    assert!(files.len() > 10, "found the adapters' sources");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for forbidden in ["crate::db", "diesel::"] {
            assert!(
                !text.contains(forbidden),
                "{} uses {forbidden}: go through the service layer",
                file.display()
            );
        }
    }
}

#[test]
fn the_domain_is_pure() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain");
    let mut files = Vec::new();
    sources(&root, &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for forbidden in ["actix", "diesel", "async_graphql", "utoipa", "crate::db", "crate::service"] {
            assert!(!text.contains(forbidden), "{} depends on {forbidden}", file.display());
        }
    }
}
