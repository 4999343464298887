//! Uploads: refused unless the bytes are a JPEG, PNG, WebP or GIF of
//! acceptable size; otherwise cleaned (orientation applied, metadata gone),
//! stored once per content, and recorded with their editorial fields.

use bytes::Bytes;

use super::{MediaFields, too_large};
use crate::db::repo::media::{self as repo, MediaRow};
use crate::digest::sha256_hex;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::media::file_key;
use crate::domain::media::{FocalPoint, MediaItem, master_file_name};
use crate::domain::time::{now, to_db};
use crate::domain::{MediaId, Viewer, policy};
use crate::error::{AppError, AppResult};
use crate::media::codec::{self, Limits, Refusal};
use crate::service::Services;
use crate::service::audit::{Done, record};

impl Services {
    /// Stores an uploaded image. Authors and up. An identical file already
    /// in the library is answered with its item, unchanged (`false`: not
    /// created).
    pub async fn upload_media(
        &self,
        viewer: Viewer,
        file: Bytes,
        fields: MediaFields,
    ) -> AppResult<(MediaItem, bool)> {
        let me = policy::can_use_media(viewer)?;
        let files = self.media_files().clone();
        if file.len() as u64 > files.max_bytes {
            return Err(too_large(files.max_bytes));
        }
        if file.is_empty() {
            return Err(AppError::invalid("file", "is empty"));
        }
        let sha256 = sha256_hex(&file);
        if let Some(existing) = self.media_by_sha256(&sha256).await? {
            return Ok((existing, false));
        }

        let limits = Limits { max_pixels: files.max_pixels };
        let measured = codec::measure(&file, &limits).map_err(refused)?;
        let cleaned = files
            .reserve(measured.working_bytes)
            .await?
            .run(move || codec::clean(&file, &limits))
            .await?
            .map_err(refused)?;
        let master = Bytes::from(cleaned.bytes);
        let stored_bytes = master.len() as u64;
        let master_key = file_key(&sha256, &master_file_name(cleaned.format));
        let store_down = |e: anyhow::Error| AppError::Unavailable(format!("media store: {e}"));
        files.store.put(&master_key, master.clone()).await.map_err(store_down)?;

        let at = to_db(now());
        let (focal_x, focal_y) = fields.focal.unwrap_or(FocalPoint::CENTRE).thousandths();
        let text = |value: Option<String>| value.unwrap_or_default();
        let row = MediaRow {
            id: MediaId::generate(),
            sha256: sha256.clone(),
            format: cleaned.format,
            width: i32::try_from(cleaned.width).map_err(AppError::internal)?,
            height: i32::try_from(cleaned.height).map_err(AppError::internal)?,
            bytes: i64::try_from(stored_bytes).map_err(AppError::internal)?,
            alt_text: text(fields.alt_text.map(String::from)),
            caption: text(fields.caption.map(String::from)),
            credit: text(fields.credit.map(String::from)),
            license: text(fields.license.map(String::from)),
            focal_x,
            focal_y,
            uploaded_by: me.user_id,
            created_at: at,
            updated_at: at,
        };
        let inserted = self
            .db()
            .run({
                let row = row.clone();
                move |conn| {
                    conn.transaction(|conn| {
                        // Nothing public shows the library itself.
                        conn.changes([]);
                        repo::insert(conn, &row)?;
                        record(
                            conn,
                            Some(me.user_id),
                            Done::to(AuditAction::MediaUpload, AuditTarget::Media, row.id),
                        )
                    })
                }
            })
            .await;
        match inserted {
            Ok(()) => {
                // The same file's earlier item, deleted meanwhile, may have
                // taken the master with it: put it back.
                if !files.store.exists(&master_key).await.map_err(store_down)? {
                    files.store.put(&master_key, master).await.map_err(store_down)?;
                }
                Ok((row.into_item()?, true))
            }
            // The same file, uploaded at the same moment elsewhere: theirs won.
            Err(error) => match self.media_by_sha256(&sha256).await? {
                Some(existing) => Ok((existing, false)),
                None => Err(error),
            },
        }
    }
}

/// A refused upload, in the API's terms.
fn refused(refusal: Refusal) -> AppError {
    match refusal {
        Refusal::Unsupported => AppError::UnsupportedMediaType(
            "the file is not a JPEG, PNG, WebP or GIF image (by its content; names and declared types are not \
             trusted)"
                .into(),
        ),
        Refusal::Corrupt(reason) => AppError::invalid("file", format!("is not a readable image: {reason}")),
        Refusal::TooLarge { width, height, max_pixels } => AppError::invalid(
            "file",
            format!("is {width} × {height} pixels; images may have at most {max_pixels} pixels"),
        ),
    }
}
