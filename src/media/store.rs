//! Where image files are kept: a local directory by default, or an
//! S3-compatible bucket shared by several instances. Both through
//! `object_store`, so the service sees one small interface. Files are named
//! by content (`{sha256}/original.jpg`, `{sha256}/640.webp`): written once,
//! never changed, safe to write twice from two instances.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::TryStreamExt;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

/// Where to keep media files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaLocation {
    /// A directory, created if missing.
    Directory(std::path::PathBuf),
    /// `s3://bucket[/prefix]`; the endpoint, region and credentials come
    /// from the usual `AWS_*` environment variables, and `options`
    /// (object_store's keys, `aws_endpoint`…) override them.
    S3 { url: String, options: Vec<(String, String)> },
}

/// The media files' store.
#[derive(Clone, Debug)]
pub struct MediaStore {
    inner: Arc<dyn ObjectStore>,
}

impl MediaStore {
    pub fn open(location: &MediaLocation) -> anyhow::Result<Self> {
        let inner: Arc<dyn ObjectStore> = match location {
            MediaLocation::Directory(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| {
                    anyhow::anyhow!("cannot create the media directory {}: {e}", dir.display())
                })?;
                Arc::new(
                    object_store::local::LocalFileSystem::new_with_prefix(dir)?.with_automatic_cleanup(true),
                )
            }
            MediaLocation::S3 { url, options } => {
                let rest = url.strip_prefix("s3://").ok_or_else(|| {
                    anyhow::anyhow!("the media store URL must look like s3://bucket[/prefix]")
                })?;
                let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
                anyhow::ensure!(!bucket.is_empty(), "the media store URL names no bucket");
                let mut builder = object_store::aws::AmazonS3Builder::from_env();
                for (key, value) in options {
                    let key = key
                        .to_ascii_lowercase()
                        .parse()
                        .map_err(|e| anyhow::anyhow!("media store option {key}: {e}"))?;
                    builder = builder.with_config(key, value);
                }
                let s3 = builder.with_bucket_name(bucket).build()?;
                let prefix = prefix.trim_matches('/');
                if prefix.is_empty() {
                    Arc::new(s3)
                } else {
                    Arc::new(object_store::prefix::PrefixStore::new(s3, prefix))
                }
            }
        };
        Ok(Self { inner })
    }

    /// Stores `bytes` as `key` (replacing what was there: the same name
    /// always holds the same content).
    pub async fn put(&self, key: &str, bytes: Bytes) -> anyhow::Result<()> {
        self.inner.put(&Path::from(key), PutPayload::from_bytes(bytes)).await?;
        Ok(())
    }

    /// The file `key`, if it is there.
    pub async fn get(&self, key: &str) -> anyhow::Result<Option<Bytes>> {
        match self.inner.get(&Path::from(key)).await {
            Ok(found) => Ok(Some(found.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(other) => Err(other.into()),
        }
    }

    /// Whether the file `key` is there (without reading it).
    pub async fn exists(&self, key: &str) -> anyhow::Result<bool> {
        match self.inner.head(&Path::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(other) => Err(other.into()),
        }
    }

    /// Removes every file under `prefix` (an item's master and renditions).
    pub async fn delete_all(&self, prefix: &str) -> anyhow::Result<()> {
        let prefix = Path::from(prefix);
        let found: Vec<_> = self.inner.list(Some(&prefix)).try_collect().await?;
        for meta in found {
            match self.inner.delete(&meta.location).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(other) => return Err(other.into()),
            }
        }
        Ok(())
    }
}
