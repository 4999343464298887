//! Photos for the demo newsroom: each demo story's cover, drawn by code
//! (no downloads), uploaded to the media library and made the story's cover
//! through the service layer, as an editor would.

use super::images::demo_photo;
use crate::domain::article::ArticleKey;
use crate::domain::media::FocalPoint;
use crate::domain::text::{AltText, Caption, Credit, License};
use crate::domain::{Principal, Role, Viewer};
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::articles::{ArticlePatch, CoverChoice};
use crate::service::media::MediaFields;

/// The demo's admin, who uploads the photos.
const UPLOADER: &str = "admin@newsdesk.example";

/// Gives every demo story that has a cover a photo from the library;
/// returns how many. Run right after the demo content is loaded.
pub async fn attach_covers(services: &Services) -> AppResult<usize> {
    let admin = services.account_by_email(UPLOADER).await?;
    let viewer = Viewer::User(Principal { user_id: admin, role: Role::Admin });
    let mut attached = 0;
    for (index, (slug, section, caption)) in super::demo::covers()?.into_iter().enumerate() {
        let label = format!("{section} · {}", slug.split('-').take(3).collect::<Vec<_>>().join(" "));
        let photo = demo_photo(&label, index, 1600, 900).map_err(AppError::internal)?;
        let (alt, credit) = split_caption(&caption);
        let fields = MediaFields {
            alt_text: Some(AltText::parse(&alt, "alt_text")?),
            caption: Some(Caption::parse(&alt, "caption")?),
            credit: Some(Credit::parse(&credit, "credit")?),
            license: Some(License::parse("Demo image, free to use", "license")?),
            focal: Some(FocalPoint::CENTRE),
        };
        let (item, _) = services.upload_media(viewer, photo.into(), fields).await?;
        let key = ArticleKey::IdOrSlug(slug.clone());
        let article = services.get_article(viewer, key.clone()).await?;
        let cover = CoverChoice::Media(crate::domain::field::Named::new(item.id, "cover_media_id"));
        let patch = ArticlePatch { cover_image: Some(Some(cover)), ..ArticlePatch::default() };
        services.update_article(viewer, key, article.version, patch).await?;
        attached += 1;
    }
    Ok(attached)
}

/// "Families queue for water. (Photo: I. Kamaleddin / Newsdesk)" → the
/// description as alt text, the credit apart.
fn split_caption(caption: &str) -> (String, String) {
    match caption.rsplit_once("(Photo:") {
        Some((text, credit)) => {
            (text.trim().to_owned(), credit.trim().trim_end_matches(')').trim().to_owned())
        }
        None => (caption.trim().to_owned(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_split_into_alt_text_and_credit() {
        assert_eq!(
            split_caption("Families queue for water rations. (Photo: Idris Kamaleddin / Newsdesk)"),
            ("Families queue for water rations.".to_owned(), "Idris Kamaleddin / Newsdesk".to_owned())
        );
        assert_eq!(split_caption("No credit here"), ("No credit here".to_owned(), String::new()));
    }
}
