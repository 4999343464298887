//! The media library: uploads (checked, cleaned, stored once per content),
//! browsing and editing, deleting what no article needs, and the image
//! files themselves, renditions made on first request.

mod files;
mod library;
mod upload;

use std::sync::Arc;

pub use files::MediaFile;
pub use library::{MediaFields, MediaPatch, MediaQuery};
// Where files are is the domain's to say; the adapters ask here.
pub use crate::domain::media::{best_url, file_url, master_url, rendition_url};
pub(crate) use library::{missing_alt_text, needs_alt_text_to_publish};

use crate::domain::media::MediaItem;
use crate::error::{AppError, AppResult};
use crate::media::store::{MediaLocation, MediaStore};

/// How the media library is configured.
#[derive(Debug, Clone)]
pub struct MediaSettings {
    pub location: MediaLocation,
    /// Largest upload accepted, in bytes.
    pub max_bytes: u64,
    /// Largest image accepted, in pixels (width × height).
    pub max_pixels: u64,
    /// Memory that decoding and resizing may hold at once, in MiB: images
    /// wait for their share, so a burst of uploads queues instead of
    /// exhausting memory.
    pub work_memory_mib: u32,
}

/// The media files' store and the budget image work runs within.
#[derive(Clone)]
pub(super) struct MediaFiles {
    store: MediaStore,
    max_bytes: u64,
    max_pixels: u64,
    budget: Arc<tokio::sync::Semaphore>,
    budget_mib: u32,
    /// One image at a time per CPU: more would only share the same cores.
    cpus: Arc<tokio::sync::Semaphore>,
}

impl MediaFiles {
    pub(super) fn new(settings: &MediaSettings) -> anyhow::Result<Self> {
        let budget_mib = settings.work_memory_mib.max(1);
        Ok(Self {
            store: MediaStore::open(&settings.location)?,
            max_bytes: settings.max_bytes,
            max_pixels: settings.max_pixels,
            budget: Arc::new(tokio::sync::Semaphore::new(budget_mib as usize)),
            budget_mib,
            cpus: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            )),
        })
    }

    /// Waits for a CPU and `bytes` of the memory budget (the whole budget
    /// at most: an image larger than it runs alone).
    async fn reserve(&self, bytes: u64) -> AppResult<Reservation> {
        let mib = u32::try_from(bytes.div_ceil(1 << 20)).unwrap_or(u32::MAX).clamp(1, self.budget_mib);
        let closed = |_| AppError::Unavailable("shutting down".into());
        let cpu = Arc::clone(&self.cpus).acquire_owned().await.map_err(closed)?;
        let memory = Arc::clone(&self.budget).acquire_many_owned(mib).await.map_err(closed)?;
        Ok(Reservation { cpu, memory })
    }
}

/// A CPU and a share of the memory budget, held for one piece of image work.
struct Reservation {
    cpu: tokio::sync::OwnedSemaphorePermit,
    memory: tokio::sync::OwnedSemaphorePermit,
}

impl Reservation {
    /// Runs `work` off the async workers. The reservation goes with it: the
    /// work runs on if the request is dropped (the client went away), and its
    /// CPU and memory stay spent until it ends.
    async fn run<T: Send + 'static>(self, work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
        tokio::task::spawn_blocking(move || {
            let _held = (self.cpu, self.memory);
            work()
        })
        .await
        .map_err(AppError::internal)
    }
}

/// The refusal of a file larger than an upload may be (413), in every API.
pub fn too_large(max_bytes: u64) -> AppError {
    AppError::PayloadTooLarge(format!("the file is larger than the {max_bytes} bytes an upload may have"))
}

impl crate::service::Services {
    /// The item an upload hashed to `sha256` made, if it is (still) there.
    async fn media_by_sha256(&self, sha256: &str) -> AppResult<Option<MediaItem>> {
        let sha256 = sha256.to_owned();
        self.db()
            .run(move |conn| {
                crate::db::repo::media::by_sha256(conn, &sha256)?
                    .map(crate::db::repo::media::MediaRow::into_item)
                    .transpose()
            })
            .await
    }

    /// Largest upload accepted, in bytes: adapters stop reading beyond it.
    pub fn media_upload_limit(&self) -> u64 {
        self.media_files().max_bytes
    }

    /// Refuses a caller who may not upload, before their body is read.
    pub fn may_upload_media(&self, viewer: crate::domain::Viewer) -> AppResult<()> {
        crate::domain::policy::can_use_media(viewer)?;
        Ok(())
    }
}
