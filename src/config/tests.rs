use super::*;

#[test]
fn defaults_need_nothing_set() {
    let cli = Cli::try_parse_from(["newsdesk"]).unwrap();
    assert!(cli.command.is_none());
    assert_eq!(cli.settings.bind.port(), 8080);
}

#[test]
fn the_response_cache_is_turned_on_and_off_as_documented() {
    let cache = |args: &[&str]| {
        Cli::try_parse_from(["newsdesk"].iter().chain(args)).map(|cli| cli.settings.response_cache)
    };
    assert!(cache(&[]).unwrap());
    assert!(!cache(&["--response-cache", "off"]).unwrap());
    assert!(!cache(&["--response-cache=off", "serve"]).unwrap());
    assert!(cache(&["--response-cache", "on"]).unwrap());
    assert!(cache(&["--response-cache", "maybe"]).is_err());
}

#[test]
fn malformed_settings_are_refused() {
    assert!(Cli::try_parse_from(["newsdesk", "--bind", "nowhere"]).is_err());
    assert!(Cli::try_parse_from(["newsdesk", "--database-url", "mysql://x/y"]).is_err());
    assert!(Cli::try_parse_from(["newsdesk", "--db-pool-size", "0"]).is_err());
    assert!(
        Cli::try_parse_from([
            "newsdesk",
            "user",
            "create",
            "--email",
            "a@b.org",
            "--role",
            "root",
            "--password",
            "x"
        ])
        .is_err()
    );
}

#[test]
fn media_is_kept_beside_the_database_unless_told() {
    let location = |args: &[&str]| Cli::parse_from(["newsdesk"].iter().chain(args)).settings.media_location();
    assert_eq!(location(&[]), MediaLocation::Directory("newsdesk-media".into()));
    assert_eq!(
        location(&["--database-url", "sqlite://data/site.db"]),
        MediaLocation::Directory("data/site-media".into())
    );
    assert_eq!(location(&["--media-dir", "/srv/images"]), MediaLocation::Directory("/srv/images".into()));
    assert_eq!(
        location(&["--media-s3-url", "s3://bucket/newsdesk"]),
        MediaLocation::S3 { url: "s3://bucket/newsdesk".into(), options: Vec::new() }
    );
    assert!(Cli::try_parse_from(["newsdesk", "--media-dir", "x", "--media-s3-url", "s3://b"]).is_err());
}

#[test]
fn the_site_is_where_the_settings_say() {
    let site = |args: &[&str]| Cli::parse_from(["newsdesk"].iter().chain(args)).settings.site();
    assert_eq!(site(&[]).public_url.as_str(), "http://127.0.0.1:8080");
    assert_eq!(site(&["--bind", "0.0.0.0:80"]).public_url.as_str(), "http://localhost:80");
    assert_eq!(site(&["--public-url", "https://x.org/"]).public_url.as_str(), "https://x.org");
    assert_eq!(site(&[]).name, "Newsdesk");
    assert!(Cli::try_parse_from(["newsdesk", "--public-url", "x.org"]).is_err());
    assert!(Cli::try_parse_from(["newsdesk", "--article-url-template", "{public_url}/{title}"]).is_err());
    assert!(Cli::try_parse_from(["newsdesk", "--tag-url-template", "{public_url}/t/{id}"]).is_ok());
}

#[test]
fn seed_needs_something_to_seed() {
    assert!(Cli::try_parse_from(["newsdesk", "seed"]).is_err());
    assert!(Cli::try_parse_from(["newsdesk", "seed", "--comments", "5"]).is_err());
    assert!(Cli::try_parse_from(["newsdesk", "seed", "--articles", "10", "--comments", "5"]).is_ok());
}
