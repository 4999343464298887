use std::fmt;

use super::field::FieldError;

/// An email address, trimmed and lower-cased: the form it is stored, compared
/// and made unique in, so `Ana@Example.org` and `ana@example.org` are one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// An address of the form everyone's mail system delivers to: a dot-atom
    /// local part (letters, digits and `!#$%&'*+-/=?^_`{|}~`, dots between
    /// them) at a domain name of two or more labels (letters, digits,
    /// hyphens inside). Quoted local parts and address literals
    /// (`a@[127.0.0.1]`) are refused: no one signs up with them, and they
    /// carry markup and internal addresses into emails and admin screens.
    pub fn parse(raw: &str, field: &str) -> Result<Self, FieldError> {
        let s = raw.trim().to_lowercase();
        let valid = s.len() <= 254
            && match s.split_once('@') {
                Some((local, domain)) => local_part_ok(local) && domain_ok(domain),
                None => false,
            };
        if valid {
            Ok(Self(s))
        } else {
            Err(FieldError::new(field, "must be an email address like name@example.org"))
        }
    }

    /// An address as accounts store it, read back without the rules new
    /// addresses must meet (accounts made under older, looser rules must
    /// still load and sign in): only trimmed and lower-cased.
    pub fn stored(raw: &str) -> Self {
        Self(raw.trim().to_lowercase())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A dot-atom: atoms of letters, digits and the few symbols mail allows,
/// joined by single dots.
fn local_part_ok(local: &str) -> bool {
    let atext = |c: char| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    local.len() <= 64 && local.split('.').all(|atom| !atom.is_empty() && atom.chars().all(atext))
}

/// A domain name: two or more labels of letters, digits and inner hyphens,
/// the last not all digits (so not an IP address).
fn domain_ok(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |label: &&str| {
        (1..=63).contains(&label.len())
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    labels.len() >= 2
        && labels.iter().all(label_ok)
        && labels.last().is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_space() {
        assert_eq!(Email::parse("  Ana@Example.ORG ", "email").unwrap().as_str(), "ana@example.org");
    }

    #[test]
    fn takes_the_addresses_people_have() {
        for good in
            ["ana@example.org", "ana.maria+news@mail.example.co.uk", "o'brien@example.ie", "zoë@exämple.de"]
        {
            assert!(Email::parse(good, "email").is_ok(), "{good:?}");
        }
    }

    #[test]
    fn refuses_non_addresses() {
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.org",
            "ana@example",
            "a b@example.org",
            "a@b@c.org",
            "ana@.org",
            "ana@example..org",
            "<script>@x.co",
            "a@[127.0.0.1]",
            "a@127.0.0.1",
            "a@-b.co",
            "a@b-.co",
            "\"quoted\"@example.org",
            ".ana@example.org",
            "an..a@example.org",
            "ana@exa_mple.org",
            "ana@example.org\0",
        ] {
            assert!(Email::parse(bad, "email").is_err(), "{bad:?}");
        }
    }
}
