use std::fmt;
use std::str::FromStr;

/// Which database engine a connection speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Postgres => "postgres",
            Self::Sqlite => "sqlite",
        })
    }
}

/// A parsed `--database-url`: `postgres://…`/`postgresql://…`, `sqlite://path`,
/// `sqlite:path`, or a plain file path (SQLite).
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Postgres(String),
    /// The SQLite file's path, as SQLite will open it.
    Sqlite(String),
}

impl DatabaseUrl {
    pub fn backend(&self) -> Backend {
        match self {
            Self::Postgres(_) => Backend::Postgres,
            Self::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// The URL with any password replaced, fit for logs and error messages.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{path}"),
            Self::Postgres(url) => match (url.find("://"), url.rfind('@')) {
                (Some(scheme_end), Some(at)) if at > scheme_end => {
                    let credentials = &url[scheme_end + 3..at];
                    match credentials.split_once(':') {
                        Some((user, _)) => {
                            format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..])
                        }
                        None => url.clone(),
                    }
                }
                _ => url.clone(),
            },
        }
    }
}

/// A PostgreSQL URL with each `(name, value)` added to its query string,
/// unless the URL sets that parameter itself: its own choice wins.
pub fn with_default_params(url: &str, params: &[(&str, &str)]) -> String {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let set = |name: &str| query.split('&').any(|pair| pair.split('=').next() == Some(name));
    let mut out = url.to_owned();
    for (name, value) in params.iter().filter(|(name, _)| !set(name)) {
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str(&format!("{name}={value}"));
    }
    out
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl FromStr for DatabaseUrl {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_owned()));
        }
        let path = raw.strip_prefix("sqlite://").or_else(|| raw.strip_prefix("sqlite:")).unwrap_or(raw);
        if path.is_empty() {
            return Err("the database URL is empty".to_owned());
        }
        if path == ":memory:" || path.contains("mode=memory") {
            // Every pooled connection would get its own empty database.
            return Err("in-memory SQLite is not supported; give a file path".to_owned());
        }
        if let Some((scheme, _)) = path.split_once("://") {
            return Err(format!(
                "unsupported database scheme `{scheme}`; use postgres://…, sqlite://path or a file path"
            ));
        }
        Ok(Self::Sqlite(path.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_params_are_added_unless_the_url_sets_them() {
        let defaults = [("connect_timeout", "2"), ("keepalives", "1")];
        assert_eq!(
            with_default_params("postgres://db/news", &defaults),
            "postgres://db/news?connect_timeout=2&keepalives=1"
        );
        assert_eq!(
            with_default_params("postgres://db/news?connect_timeout=9", &defaults),
            "postgres://db/news?connect_timeout=9&keepalives=1"
        );
    }

    #[test]
    fn parses_every_accepted_form() {
        assert_eq!("newsdesk.db".parse(), Ok(DatabaseUrl::Sqlite("newsdesk.db".into())));
        assert_eq!("sqlite://data/n.db".parse(), Ok(DatabaseUrl::Sqlite("data/n.db".into())));
        assert_eq!("sqlite:n.db".parse(), Ok(DatabaseUrl::Sqlite("n.db".into())));
        assert_eq!("postgres://u@h/db".parse::<DatabaseUrl>().map(|u| u.backend()), Ok(Backend::Postgres));
        assert_eq!("postgresql://u@h/db".parse::<DatabaseUrl>().map(|u| u.backend()), Ok(Backend::Postgres));
    }

    #[test]
    fn refuses_what_cannot_work() {
        assert!("".parse::<DatabaseUrl>().is_err());
        assert!(":memory:".parse::<DatabaseUrl>().is_err());
        assert!("mysql://root@localhost/db".parse::<DatabaseUrl>().is_err());
    }

    #[test]
    fn hides_passwords() {
        let url: DatabaseUrl = "postgres://app:s3cret@db:5432/news".parse().unwrap();
        assert_eq!(url.redacted(), "postgres://app:***@db:5432/news");
        assert!(!format!("{url:?}").contains("s3cret"));
    }
}
