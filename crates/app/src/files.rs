//! Uploaded images behind one object-storage interface: a directory on local
//! disk by default, an S3-compatible bucket when configured. This module owns
//! object keys (the server makes every one; a client never names a key),
//! content sniffing, and the upload and download use cases.
//!
//! Keys are content-addressed (`<prefix>/<sha256>.<ext>`), so an object never
//! changes once written: that is what lets the HTTP edge mark files
//! immutable and use the hash as a strong ETag.

use std::{path::PathBuf, sync::Arc};

use bytes::Bytes;
use domain::{ProductId, clock::now};
use futures::{StreamExt, stream::BoxStream};
use object_store::{ObjectStore, PutPayload, aws::AmazonS3Builder, local::LocalFileSystem, path::Path};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use sha2::{Digest, Sha256};
use store::UserPatch;
use utoipa::ToSchema;

use crate::{
    App,
    accounts::UserView,
    error::{AppError, AppResult},
    tokens::Caller,
};

/// The largest image accepted, in bytes (5 MiB).
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;

/// The URL prefix files are served under; a stored reference is this plus the key.
pub const SERVED_PREFIX: &str = "/files/";

/// Where uploaded files live.
#[derive(Debug, Clone)]
pub enum FileStorage {
    /// A directory, created when missing.
    Local { root: PathBuf },
    /// An S3-compatible bucket; it must exist already.
    S3(S3Settings),
}

/// An S3-compatible endpoint. The keys are secrets: never logged.
#[derive(Debug, Clone)]
pub struct S3Settings {
    /// e.g. `http://127.0.0.1:9000`; plain HTTP is allowed for local servers.
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key_id: SecretString,
    pub secret_access_key: SecretString,
}

/// The object store, cheap to clone.
#[derive(Clone)]
pub struct Files {
    objects: Arc<dyn ObjectStore>,
}

impl Files {
    /// Opens the configured storage. Nothing is contacted yet: a bucket that
    /// does not answer shows on the first upload or download.
    pub fn open(storage: &FileStorage) -> AppResult<Self> {
        let objects: Arc<dyn ObjectStore> = match storage {
            FileStorage::Local { root } => {
                std::fs::create_dir_all(root)
                    .map_err(|e| AppError::Unavailable(format!("cannot create {}: {e}", root.display())))?;
                Arc::new(
                    LocalFileSystem::new_with_prefix(root)
                        .map_err(|e| AppError::Unavailable(format!("file storage: {e}")))?,
                )
            }
            FileStorage::S3(s3) => Arc::new(
                AmazonS3Builder::new()
                    .with_endpoint(&s3.endpoint)
                    .with_allow_http(true)
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region)
                    .with_access_key_id(s3.access_key_id.expose_secret())
                    .with_secret_access_key(s3.secret_access_key.expose_secret())
                    .build()
                    .map_err(|e| AppError::Unavailable(format!("S3 storage: {e}")))?,
            ),
        };
        Ok(Self { objects })
    }

    /// Stores an image under a content-addressed key in `prefix`; its key.
    async fn put_image(&self, prefix: KeyPrefix, image: &SniffedImage, bytes: Bytes) -> AppResult<FileKey> {
        let key = FileKey::content_addressed(prefix, &bytes, image.extension);
        self.objects
            .put(&Path::from(key.as_str()), PutPayload::from(bytes))
            .await
            .map_err(|e| AppError::Unavailable(format!("file storage: {e}")))?;
        Ok(key)
    }
}

/// The folders keys live in.
#[derive(Debug, Clone, Copy)]
enum KeyPrefix {
    Avatars,
    Products,
}

impl KeyPrefix {
    const ALL: [KeyPrefix; 2] = [KeyPrefix::Avatars, KeyPrefix::Products];

    fn as_str(self) -> &'static str {
        match self {
            KeyPrefix::Avatars => "avatars",
            KeyPrefix::Products => "products",
        }
    }
}

/// An accepted image type, known from its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SniffedImage {
    extension: &'static str,
    mime: &'static str,
}

/// The image types accepted, by extension; the single list both upload
/// checking and serving consult.
const IMAGE_TYPES: &[SniffedImage] = &[
    SniffedImage { extension: "jpg", mime: "image/jpeg" },
    SniffedImage { extension: "png", mime: "image/png" },
    SniffedImage { extension: "webp", mime: "image/webp" },
    SniffedImage { extension: "gif", mime: "image/gif" },
];

/// Hex digits of the SHA-256 that names a file.
const DIGEST_HEX_CHARS: usize = 64;

/// The media types of the images accepted, comma-separated: the `contentType`
/// of an upload's `file` part in the OpenAPI document.
pub fn accepted_image_types() -> String {
    IMAGE_TYPES.iter().map(|t| t.mime).collect::<Vec<_>>().join(", ")
}

domain::schema_type!(
    /// A key the server makes, as [`FileKey::parse`] accepts it.
    StoredFileKey = domain::schema::text(
        format!(
            r"^(?:{})/[0-9a-f]{{{DIGEST_HEX_CHARS}}}\.(?:{})$",
            KeyPrefix::ALL.map(KeyPrefix::as_str).join("|"),
            IMAGE_TYPES.iter().map(|t| t.extension).collect::<Vec<_>>().join("|"),
        ),
        "`<folder>/<sha256>.<extension>`, as found in a served URL.".to_owned(),
    )
    .examples([FileKey::content_addressed(KeyPrefix::Avatars, b"", IMAGE_TYPES[0].extension).0])
);

/// Checks an upload: present, not too large, and by its bytes (whatever the
/// client declared) a JPEG, PNG, WebP or GIF image.
fn sniff_image(field: &str, bytes: &[u8]) -> AppResult<SniffedImage> {
    if bytes.is_empty() {
        return Err(AppError::validation(field, "is empty"));
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(AppError::validation(field, "must be at most 5 MiB"));
    }
    let mime = infer::get(bytes).map(|kind| kind.mime_type());
    IMAGE_TYPES
        .iter()
        .find(|t| Some(t.mime) == mime)
        .copied()
        .ok_or_else(|| AppError::validation(field, "must be a JPEG, PNG, WebP or GIF image"))
}

/// An object key the server made: `<prefix>/<64 hex>.<ext>`. Parsing
/// accepts nothing else, which is also what keeps a request from reaching
/// outside the storage root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileKey(String);

/// Why a requested key was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRefusal {
    /// An attempt to leave the storage root: `..`, an absolute path, a
    /// backslash or a control character.
    Traversal,
    /// Not a key this server makes, so no such file.
    Unknown,
}

impl FileKey {
    fn content_addressed(prefix: KeyPrefix, bytes: &[u8], extension: &str) -> Self {
        let digest = hex::encode(Sha256::digest(bytes));
        FileKey(format!("{}/{digest}.{extension}", prefix.as_str()))
    }

    /// Parses a key as it arrives in a URL (already percent-decoded).
    pub fn parse(text: &str) -> Result<Self, KeyRefusal> {
        if text.starts_with('/')
            || text.contains('\\')
            || text.chars().any(char::is_control)
            || text.split('/').any(|segment| segment == ".." || segment == ".")
        {
            return Err(KeyRefusal::Traversal);
        }
        let (prefix, name) = text.split_once('/').ok_or(KeyRefusal::Unknown)?;
        if prefix != KeyPrefix::Avatars.as_str() && prefix != KeyPrefix::Products.as_str() {
            return Err(KeyRefusal::Unknown);
        }
        let (stem, extension) = name.split_once('.').ok_or(KeyRefusal::Unknown)?;
        let hex_stem = stem.len() == DIGEST_HEX_CHARS && stem.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !hex_stem || !IMAGE_TYPES.iter().any(|t| t.extension == extension) {
            return Err(KeyRefusal::Unknown);
        }
        Ok(FileKey(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path the file is served at.
    pub fn url(&self) -> String {
        format!("{SERVED_PREFIX}{}", self.0)
    }

    /// The content type, from the extension the server chose by sniffing.
    pub fn content_type(&self) -> &'static str {
        let extension = self.0.rsplit('.').next().unwrap_or_default();
        IMAGE_TYPES.iter().find(|t| t.extension == extension).map_or("application/octet-stream", |t| t.mime)
    }

    /// A strong entity tag: the content hash, since the key names the content.
    pub fn etag(&self) -> String {
        let stem = self.0.rsplit('/').next().unwrap_or_default().split('.').next().unwrap_or_default();
        format!("\"{stem}\"")
    }

    /// Whether an `If-None-Match` header value names this file's tag
    /// (weak comparison, as RFC 9110 asks for this header).
    pub fn matches_if_none_match(&self, header: &str) -> bool {
        let etag = self.etag();
        header.split(',').map(str::trim).any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
    }
}

/// A file to send back.
pub enum FileDownload {
    /// The client's copy is current.
    NotModified { key: FileKey },
    /// The bytes, streamed from storage.
    Content { key: FileKey, length: u64, body: BoxStream<'static, Result<Bytes, std::io::Error>> },
}

/// A product's images after an upload.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductImagesView {
    pub product_id: ProductId,
    /// The served URL of the uploaded image.
    pub url: String,
    /// Every image of the product, the new one last.
    pub images: Vec<String>,
}

fn storage_error(error: object_store::Error) -> AppError {
    match error {
        object_store::Error::NotFound { .. } => AppError::NotFound("file"),
        other => AppError::Unavailable(format!("file storage: {other}")),
    }
}

impl App {
    /// Stores an image as the caller's avatar and points their profile at it.
    pub async fn upload_avatar(&self, caller: Caller, bytes: Bytes) -> AppResult<UserView> {
        let image = sniff_image("file", &bytes)?;
        // The object is written before the row that refers to it, so a
        // reader never follows a reference to a missing file; a failed row
        // update leaves at worst an unreferenced object.
        let key = self.inner.files.put_image(KeyPrefix::Avatars, &image, bytes).await?;
        let patch = UserPatch { avatar: Some(Some(key.url())), ..UserPatch::default() };
        self.save_user_patch(caller.user_id, patch).await
    }

    /// Appends an image to a product; catalog admins only.
    pub async fn add_product_image(
        &self,
        caller: Caller,
        product_id: ProductId,
        bytes: Bytes,
    ) -> AppResult<ProductImagesView> {
        let user = self.inner.store.get_user(caller.user_id).await?;
        let email = user.email.trim().to_lowercase();
        if !self.inner.catalog_admins.contains(&email) {
            return Err(AppError::Forbidden("only catalog admins may add product images".into()));
        }
        let image = sniff_image("file", &bytes)?;
        let key = self.inner.files.put_image(KeyPrefix::Products, &image, bytes).await?;
        let url = key.url();
        let images = self.inner.store.append_product_image(product_id, &url, now()).await.map_err(|e| match e {
            store::StoreError::NotFound => AppError::NotFound("product"),
            other => other.into(),
        })?;
        // The search index, the product caches and open carts follow the change.
        self.after_products_changed(&[product_id]).await?;
        Ok(ProductImagesView { product_id, url, images })
    }

    /// A stored file by its served key; `NotModified` when `if_none_match`
    /// already names it. `BadRequest` for a key that tries to leave the
    /// storage root, `NotFound` for any other key the server did not make.
    pub async fn download_file(&self, key: &str, if_none_match: Option<&str>) -> AppResult<FileDownload> {
        let key = FileKey::parse(key).map_err(|refusal| match refusal {
            KeyRefusal::Traversal => AppError::BadRequest("the file key is not valid".into()),
            KeyRefusal::Unknown => AppError::NotFound("file"),
        })?;
        let location = Path::from(key.as_str());
        if if_none_match.is_some_and(|header| key.matches_if_none_match(header)) {
            // A deleted object must not be confirmed as current.
            self.inner.files.objects.head(&location).await.map_err(storage_error)?;
            return Ok(FileDownload::NotModified { key });
        }
        let result = self.inner.files.objects.get(&location).await.map_err(storage_error)?;
        let length = result.meta.size;
        let body = result.into_stream().map(|chunk| chunk.map_err(std::io::Error::other)).boxed();
        Ok(FileDownload::Content { key, length, body })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R'];

    #[test]
    fn an_image_is_known_by_its_bytes_not_its_name() {
        assert_eq!(sniff_image("file", PNG).unwrap().extension, "png");
        assert!(matches!(sniff_image("file", b"hello, I am text"), Err(AppError::Validation(_))));
        assert!(matches!(sniff_image("file", b""), Err(AppError::Validation(_))));
    }

    #[test]
    fn a_key_the_server_made_parses_back() {
        let key = FileKey::content_addressed(KeyPrefix::Avatars, PNG, "png");
        assert_eq!(FileKey::parse(key.as_str()), Ok(key.clone()));
        assert_eq!(key.content_type(), "image/png");
        assert!(key.url().starts_with("/files/avatars/"));
        assert!(key.matches_if_none_match(&key.etag()));
        assert!(key.matches_if_none_match(&format!("\"x\", W/{}", key.etag())));
        assert!(!key.matches_if_none_match("\"other\""));
    }

    #[test]
    fn keys_that_leave_the_root_are_refused() {
        for key in ["../secret.key", "avatars/../../secret.key", "/etc/passwd", "avatars\\x.png", "./avatars/x"] {
            assert_eq!(FileKey::parse(key), Err(KeyRefusal::Traversal), "{key}");
        }
        for key in ["secret.key", "avatars/x.png", "other/0.png", &format!("avatars/{}.exe", "a".repeat(64))] {
            assert_eq!(FileKey::parse(key), Err(KeyRefusal::Unknown), "{key}");
        }
    }
}
