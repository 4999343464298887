//! An article as a schema.org `NewsArticle` in JSON-LD, with the properties
//! Google's article structured-data guidelines ask for: headline, images in
//! three proportions, publication and modification times, authors with
//! their pages, and the publisher.

use chrono::SecondsFormat;
use serde_json::{Value, json};

use super::{SHARE_WIDTH, Site};
use crate::domain::article::Article;
use crate::domain::media::{Crop, rendition_url};

impl Site {
    /// The JSON-LD document of an article's page.
    pub fn structured_data(&self, article: &Article) -> Value {
        let seo = self.seo(article);
        let time = |at: chrono::DateTime<chrono::Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
        let published = article.published_at.unwrap_or(article.created_at);
        // An editor's social image first; then the cover, from the library in
        // three proportions, or as hosted elsewhere.
        let mut images: Vec<String> = article.seo.image_url.iter().cloned().collect();
        if let Some(item) = &article.cover_media {
            // Google asks for 16:9, 4:3 and 1:1 versions, at least 1200 wide where the image allows.
            let renditions = item.renditions();
            for crop in [Crop::Wide, Crop::Standard, Crop::Square] {
                let best = renditions.best(Some(SHARE_WIDTH), Some(crop), item.format);
                images.push(self.own_url(&rendition_url(item, best.variant)));
            }
        }
        if let Some(cover) = article.cover_image.as_ref().filter(|_| article.cover_media.is_none()) {
            images.push(cover.url.clone());
        }
        images.dedup();
        let authors: Vec<Value> = article
            .authors
            .iter()
            .map(|a| json!({"@type": "Person", "name": a.display_name, "url": self.author_url(a.id)}))
            .collect();
        let mut document = json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": seo.canonical_url},
            "url": seo.canonical_url,
            "headline": seo.title,
            "description": seo.description,
            "datePublished": time(published),
            "dateModified": time(article.updated_at.max(published)),
            "author": authors,
            "publisher": {"@type": "Organization", "name": self.name, "url": self.public_url.as_str()},
            "articleSection": article.category.name,
            "inLanguage": self.language.tag(),
            "isAccessibleForFree": true,
        });
        if !images.is_empty() {
            document["image"] = json!(images);
        }
        if !article.tags.is_empty() {
            document["keywords"] = json!(article.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>());
        }
        document
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::article::CoverImage;

    #[test]
    fn a_news_article_has_what_google_requires() {
        let site = Site {
            public_url: "https://news.example.org".parse().unwrap(),
            name: "The Example Times".into(),
            language: Default::default(),
            urls: Default::default(),
        };
        let mut article = Article::example("rates-rise", "economy", chrono::Utc::now());
        article.cover_image =
            Some(CoverImage::parse("https://img.example.com/a.jpg", None, "cover").unwrap());
        let data = site.structured_data(&article);
        assert_eq!(data["@context"], "https://schema.org");
        assert_eq!(data["@type"], "NewsArticle");
        assert_eq!(data["headline"], "Rates rise");
        assert_eq!(data["image"], json!(["https://img.example.com/a.jpg"]));
        assert_eq!(data["author"][0]["@type"], "Person");
        assert_eq!(data["author"][0]["name"], "Ines Carvalho");
        assert!(data["author"][0]["url"].as_str().unwrap().starts_with("https://news.example.org/authors/"));
        assert_eq!(data["publisher"]["name"], "The Example Times");
        assert_eq!(data["mainEntityOfPage"]["@id"], "https://news.example.org/economy/rates-rise");
        for date in ["datePublished", "dateModified"] {
            chrono::DateTime::parse_from_rfc3339(data[date].as_str().unwrap()).unwrap();
        }
    }
}
