//! An S3 server of a test's own, for the S3 media store: moto's
//! `moto_server` (installed from PyPI by `.ci/s3/install`, which prints its
//! path for `NEWSDESK_TEST_MOTO_SERVER`) on a free port, with a fresh, empty
//! bucket. moto keeps everything in memory: the server's end is the data's.
//!
//! moto answers path-style requests (`http://127.0.0.1:PORT/BUCKET/KEY`) and
//! takes any credentials. It serves unsigned requests for buckets (create,
//! list) but refuses an unsigned read of an object (403): objects are read
//! through object_store, which signs, with [`S3Server::builder`].

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use object_store::aws::AmazonS3Builder;

/// The `moto_server` executable the S3 tests start.
pub const MOTO_SERVER_VAR: &str = "NEWSDESK_TEST_MOTO_SERVER";

/// How long moto may take to answer after being started (about a second
/// on an idle machine; much more under a parallel test run on two cores).
const STARTUP: Duration = Duration::from_secs(30);

pub struct S3Server {
    child: Child,
    /// `http://127.0.0.1:PORT`, path-style: `{endpoint}/{bucket}/{key}`.
    pub endpoint: String,
    pub bucket: String,
    client: reqwest::Client,
    /// Holds moto's log (every request, and any error on its way up).
    dir: tempfile::TempDir,
}

impl S3Server {
    /// Starts `moto_server` (its path in `NEWSDESK_TEST_MOTO_SERVER`) on a
    /// free port, waits until it answers and creates a bucket with a fresh
    /// name. Panics, saying why, when the variable is unset or the server
    /// does not come up.
    pub async fn start() -> S3Server {
        let program = std::env::var_os(MOTO_SERVER_VAR).filter(|p| !p.is_empty()).unwrap_or_else(|| {
            panic!("{MOTO_SERVER_VAR} is not set: point it at moto_server, e.g. `export {MOTO_SERVER_VAR}=\"$(.ci/s3/install)\"`")
        });
        let program = PathBuf::from(program);
        let dir = tempfile::tempdir().expect("temp dir");
        let log = std::fs::File::create(dir.path().join("moto.log")).expect("create moto's log");
        let port = free_port();
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("moto's log"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("could not run {} ({MOTO_SERVER_VAR}): {e}", program.display()));
        let client =
            reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("HTTP client");
        // Owned from here on: a panic below kills it on the way out.
        let mut server = S3Server {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            bucket: format!("newsdesk-{}", uuid::Uuid::now_v7().simple()),
            client,
            dir,
        };
        server.wait_until_up().await;

        let url = format!("{}/{}", server.endpoint, server.bucket);
        let response = server.client.put(&url).send().await.unwrap_or_else(|e| panic!("PUT {url}: {e}"));
        let status = response.status();
        assert!(
            status.is_success(),
            "moto refused to create bucket {}: {status} {}",
            server.bucket,
            server.log()
        );
        server
    }

    /// Polls the port until moto answers HTTP; panics with its log if it
    /// exits or stays silent for [`STARTUP`].
    async fn wait_until_up(&mut self) {
        let started = Instant::now();
        let url = format!("{}/", self.endpoint);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "moto_server exited ({status}) before answering on {}:\n{}",
                    self.endpoint,
                    self.log()
                );
            }
            let probe = self.client.get(&url).timeout(Duration::from_secs(2)).send().await;
            if probe.is_ok() {
                return;
            }
            assert!(
                started.elapsed() < STARTUP,
                "moto_server did not answer on {} within {STARTUP:?}:\n{}",
                self.endpoint,
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The settings object_store's S3 client needs for this server, by the
    /// names of the environment variables `AmazonS3Builder::from_env` reads
    /// (lowercased, each is also the key `with_config` parses): endpoint,
    /// bucket, region `us-east-1`, key and secret `test`, plain HTTP and
    /// path-style requests.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT", self.endpoint.clone()),
            ("AWS_BUCKET", self.bucket.clone()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_ACCESS_KEY_ID", "test".into()),
            ("AWS_SECRET_ACCESS_KEY", "test".into()),
            ("AWS_ALLOW_HTTP", "true".into()),
            ("AWS_VIRTUAL_HOSTED_STYLE_REQUEST", "false".into()),
        ]
    }

    /// An object_store S3 client builder set up for this server and bucket
    /// (the same as [`S3Server::settings`]); `.build()` makes the store.
    pub fn builder(&self) -> AmazonS3Builder {
        AmazonS3Builder::new()
            .with_endpoint(&self.endpoint)
            .with_bucket_name(&self.bucket)
            .with_region("us-east-1")
            .with_access_key_id("test")
            .with_secret_access_key("test")
            .with_allow_http(true)
            .with_virtual_hosted_style_request(false)
    }

    /// The keys of every object in the bucket, sorted.
    pub async fn keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut url = format!("{}/{}?list-type=2", self.endpoint, self.bucket);
            if let Some(token) = &token {
                url.push_str("&continuation-token=");
                url.extend(form_urlencoded::byte_serialize(token.as_bytes()));
            }
            let response = self.client.get(&url).send().await.unwrap_or_else(|e| panic!("GET {url}: {e}"));
            let status = response.status();
            let body = response.text().await.expect("the listing's body");
            assert!(status.is_success(), "GET {url}: {status} {body}");
            keys.extend(elements(&body, "Key"));
            token = match elements(&body, "IsTruncated").first().map(String::as_str) {
                Some("true") => elements(&body, "NextContinuationToken").into_iter().next(),
                _ => None,
            };
            if token.is_none() {
                break;
            }
        }
        keys.sort();
        keys
    }

    /// moto's log so far, for failure messages.
    fn log(&self) -> String {
        let text = std::fs::read_to_string(self.dir.path().join("moto.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The text of each `<name>…</name>` element in `xml`, entities decoded (a
/// parse for S3's listings, not for XML at large).
fn elements(xml: &str, name: &str) -> Vec<String> {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(&close) else { break };
        found.push(unescape(&after[..end]));
        rest = &after[end + close.len()..];
    }
    found
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';') else { break };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => match entity.strip_prefix("#x").or_else(|| entity.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                None => entity.strip_prefix('#').and_then(|dec| dec.parse().ok()).and_then(char::from_u32),
            },
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

#[cfg(test)]
mod tests {
    use object_store::aws::AmazonS3Builder;
    use object_store::path::Path;
    use object_store::{ObjectStoreExt, PutPayload};

    /// The helper, moto and object_store together: what a store writes
    /// through the helper's settings is read back and listed.
    #[tokio::test]
    #[cfg_attr(
        not(newsdesk_s3_tests),
        ignore = "set NEWSDESK_TEST_MOTO_SERVER (.ci/s3/install prints it) to run the S3 tests"
    )]
    async fn moto_serves_object_store() {
        let server = super::S3Server::start().await;
        assert!(server.keys().await.is_empty());

        let by_settings = server
            .settings()
            .into_iter()
            .fold(AmazonS3Builder::new(), |b, (k, v)| {
                b.with_config(k.to_ascii_lowercase().parse().unwrap(), v)
            })
            .build()
            .unwrap();
        let key = Path::from("media/2026/a b&c.jpg");
        by_settings.put(&key, PutPayload::from_static(b"\xFF\xD8\xFFjpeg")).await.unwrap();

        let store = server.builder().build().unwrap();
        let read = store.get(&key).await.unwrap().bytes().await.unwrap();
        assert_eq!(&read[..], b"\xFF\xD8\xFFjpeg");
        assert_eq!(server.keys().await, ["media/2026/a b&c.jpg"]);

        store.delete(&key).await.unwrap();
        assert!(server.keys().await.is_empty());
    }

    #[test]
    fn listings_are_parsed_with_their_entities() {
        let xml = "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a &amp; b/&lt;c&gt;&#x41;&#66;</Key>\
                   </Contents><Contents><Key>plain.jpg</Key></Contents></ListBucketResult>";
        assert_eq!(super::elements(xml, "Key"), ["a & b/<c>AB", "plain.jpg"]);
        assert_eq!(super::elements(xml, "IsTruncated"), ["false"]);
        assert!(super::elements(xml, "NextContinuationToken").is_empty());
    }
}
