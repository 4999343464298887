//! `Vary`, kept as one header line. actix-cors adds `Origin` to the first
//! `Vary` line and drops the others, so a second line (`Authorization`
//! after `Accept`) would vanish before the client, or a CDN, saw it.

use actix_web::http::header::{self, HeaderMap, HeaderValue};

/// The header names a response's `Vary` lists, over all its lines, as written.
pub fn names(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers
        .get_all(header::VARY)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .filter(|name| !name.is_empty())
}

/// Adds `name` to the response's `Vary`, merging every line into one and
/// naming each header once.
pub fn add(headers: &mut HeaderMap, name: &str) {
    let present: Vec<String> = names(headers).map(str::to_owned).collect();
    let mut names: Vec<&str> = Vec::with_capacity(present.len() + 1);
    for candidate in present.iter().map(String::as_str).chain([name]) {
        if !candidate.is_empty() && !names.iter().any(|n| n.eq_ignore_ascii_case(candidate)) {
            names.push(candidate);
        }
    }
    if let Ok(value) = HeaderValue::from_str(&names.join(", ")) {
        headers.insert(header::VARY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_lands_on_one_line_once() {
        let mut headers = HeaderMap::new();
        headers.append(header::VARY, HeaderValue::from_static("Accept"));
        headers.append(header::VARY, HeaderValue::from_static("Accept-Encoding, accept"));
        add(&mut headers, "Authorization");
        add(&mut headers, "authorization");
        let lines: Vec<_> = headers.get_all(header::VARY).collect();
        assert_eq!(lines, vec![HeaderValue::from_static("Accept, Accept-Encoding, Authorization")]);
    }
}
