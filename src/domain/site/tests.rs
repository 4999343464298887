use super::*;

fn site(article: &str) -> Site {
    Site {
        public_url: "https://news.example.org/".parse().unwrap(),
        name: "The Example Times".into(),
        language: SiteLanguage::default(),
        urls: UrlTemplates {
            article: UrlTemplate::parse(article, Placeholder::FOR_ARTICLES).unwrap(),
            ..UrlTemplates::default()
        },
    }
}

#[test]
fn public_urls_are_absolute_web_addresses_without_a_trailing_slash() {
    let url: PublicUrl = "https://example.org/news/".parse().unwrap();
    assert_eq!(url.as_str(), "https://example.org/news");
    assert_eq!(url.join("/feeds/rss.xml"), "https://example.org/news/feeds/rss.xml");
    for bad in
        ["example.org", "ftp://example.org", "https://", "https://a b", "https://x.org/?q=1", "https://u@x"]
    {
        assert!(bad.parse::<PublicUrl>().is_err(), "{bad}");
    }
}

#[test]
fn templates_fill_their_placeholders() {
    let site = site("{public_url}/{yyyy}/{mm}/{dd}/{section}/{slug}-{id}");
    let at = chrono::DateTime::parse_from_rfc3339("2026-03-04T23:30:00Z").unwrap().to_utc();
    let article = Article::example("rates-rise", "economy", at);
    let id = article.id;
    assert_eq!(
        site.article_url(&article),
        format!("https://news.example.org/2026/03/04/economy/rates-rise-{id}")
    );
    let section = crate::domain::CategoryId::generate();
    assert_eq!(site.section_url(section, "europe"), "https://news.example.org/europe");
    let tag = crate::domain::TagId::generate();
    assert_eq!(site.tag_url(tag, "energy"), "https://news.example.org/tags/energy");
    let author = crate::domain::UserId::generate();
    assert_eq!(site.author_url(author), format!("https://news.example.org/authors/{author}"));
    assert_eq!(site.own_url("/media/a/b.jpg"), "https://news.example.org/media/a/b.jpg");
    assert_eq!(site.own_url("https://img.example.com/a.jpg"), "https://img.example.com/a.jpg");
}

#[test]
fn templates_with_unknown_or_missing_placeholders_are_refused() {
    let articles = Placeholder::FOR_ARTICLES;
    assert!(UrlTemplate::parse("https://www.example.org/story/{id}", articles).is_ok());
    for bad in [
        "{public_url}/{title}",
        "{public_url}/{section}",
        "/{section}/{slug}",
        "{public_url}/{slug",
        "{public_url}/slug}",
        "{public_url}/ {slug}",
    ] {
        assert!(UrlTemplate::parse(bad, articles).is_err(), "{bad}");
    }
    assert!(UrlTemplate::parse("{public_url}/{section}/{slug}", Placeholder::FOR_TAGS).is_err());
    let defaults = UrlTemplates::default();
    assert_eq!(defaults.article, UrlTemplate::parse(UrlTemplate::ARTICLE_DEFAULT, articles).unwrap());
}
