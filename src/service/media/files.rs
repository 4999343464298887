//! The image files: masters as stored, renditions drawn on first request
//! (within the memory budget) and kept, so each is made once.

use bytes::Bytes;

use crate::domain::media::file_key;
use crate::domain::media::{ImageFormat, Variant, master_file_name};
use crate::error::{AppError, AppResult};
use crate::media::render;
use crate::service::Services;

/// A file to send.
#[derive(Debug, Clone)]
pub struct MediaFile {
    pub bytes: Bytes,
    pub format: ImageFormat,
}

/// What a file name asks for.
enum Wanted {
    Master(ImageFormat),
    Rendition(Variant),
}

impl Services {
    /// The file `file_name` of the item whose upload hashed to `sha256`:
    /// `original.jpg`, or a rendition such as `640.webp`. Anyone may read
    /// them: their names cannot be guessed, and articles show them.
    pub async fn media_file(&self, sha256: &str, file_name: &str) -> AppResult<MediaFile> {
        let not_found = || AppError::NotFound("image");
        let well_formed =
            sha256.len() == 64 && sha256.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        let wanted = match file_name.strip_prefix("original.") {
            Some(extension) => ImageFormat::from_extension(extension).map(Wanted::Master),
            None => Variant::from_file_name(file_name).map(Wanted::Rendition),
        };
        let (true, Some(wanted)) = (well_formed, wanted) else {
            return Err(not_found());
        };
        let format = match wanted {
            Wanted::Master(format) => format,
            Wanted::Rendition(variant) => variant.format,
        };
        let files = self.media_files().clone();
        let key = file_key(sha256, file_name);
        if let Some(bytes) = files.store.get(&key).await.map_err(store_down)? {
            return Ok(MediaFile { bytes, format });
        }
        let Wanted::Rendition(variant) = wanted else {
            return Err(not_found());
        };

        // Not made yet: only a rendition the item lists is drawn, so no
        // request can ask for arbitrary sizes.
        let item = self.media_by_sha256(sha256).await?.ok_or_else(not_found)?;
        if !item.renditions().has(variant) {
            return Err(not_found());
        }
        // The master is read once the work may start, and the file looked
        // for again: of requests for the same new rendition, those that
        // waited find it made.
        let reservation =
            files.reserve(render::working_bytes(item.format, item.width, item.height, variant)).await?;
        if let Some(bytes) = files.store.get(&key).await.map_err(store_down)? {
            return Ok(MediaFile { bytes, format });
        }
        let master = files
            .store
            .get(&file_key(sha256, &master_file_name(item.format)))
            .await
            .map_err(store_down)?
            // Deleted a moment ago (the row goes first, then the files).
            .ok_or_else(not_found)?;
        let (master_format, focal) = (item.format, item.focal);
        let drawn = reservation
            .run(move || render::render(&master, master_format, focal, variant))
            .await?
            .map_err(AppError::internal)?;
        let bytes = Bytes::from(drawn);
        files.store.put(&key, bytes.clone()).await.map_err(store_down)?;
        // Deleted while it was drawn: its files went before this one came.
        if self.media_by_sha256(sha256).await?.is_none() {
            let _ = files.store.delete_all(&file_key(sha256, "")).await;
            return Err(not_found());
        }
        Ok(MediaFile { bytes, format })
    }
}

fn store_down(error: anyhow::Error) -> AppError {
    AppError::Unavailable(format!("media store: {error}"))
}
