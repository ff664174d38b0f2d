//! Responses compressed once.
//!
//! [`CompressOnceLayer`] replaces per-request compression. For a `GET` or
//! `HEAD` answered `200` with a strong `ETag` and a compressible media type,
//! the body is compressed once per (URL, `ETag`, coding) at a high level (off
//! the async runtime, with `spawn_blocking`) and kept in a memory cache
//! bounded by bytes; later requests get the kept bytes. The inner service is
//! still called every time (it decides the `ETag`, so a publish shows at
//! once), only the compression is saved.
//!
//! Each representation has its own tag (`"abc"` → `"abc-br"`, `"abc-gzip"`),
//! and the suffix is taken off `If-None-Match`/`If-Match` before the inner
//! service compares them, so its 304s keep working. Answers without a strong
//! tag, private answers (`Authorization`, `Cache-Control: no-store` or
//! `private`, or a path the application names) and very large ones are
//! compressed as they stream, at a fast level, and never kept. Ranges,
//! already-encoded bodies and media types that do not shrink (images, PDF,
//! archives) pass through untouched.
//!
//! The cache trusts strong tags as RFC 9110 §8.8.1 defines them (a new body
//! means a new tag); as a guard, a body whose length differs from the one a
//! kept representation was made from is compressed again.

mod codec;
mod content;
mod etag;
mod negotiate;
mod store;

pub use codec::{Levels, compress};
pub use content::compressible;
pub use negotiate::{Encoding, negotiate};
pub use store::Stats;

use bytes::Bytes;
use http::header::{
    ACCEPT_RANGES, AUTHORIZATION, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_RANGE,
    ETAG, IF_MATCH, IF_NONE_MATCH, VARY,
};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use http_body::Body;
use http_body_util::{BodyExt, Empty, Full};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use store::{Compressed, Counters, Store};

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
/// The body of every answer that goes through the layer.
pub type CacheBody = http_body_util::combinators::UnsyncBoxBody<Bytes, BoxError>;

/// A request predicate: true when its answer must never be kept.
pub type Bypass = Arc<dyn Fn(&http::request::Parts) -> bool + Send + Sync>;

/// Default bound of the cache: 64 MiB of compressed bodies.
pub const DEFAULT_CAPACITY: usize = 64 << 20;
/// Levels of the compressions that are kept (see docs/benchmarks.md for the cost).
pub const HIGH: Levels = Levels {
    brotli: 11,
    gzip: 9,
};
/// Levels of the compressions done per request.
pub const FAST: Levels = Levels { brotli: 1, gzip: 1 };
/// Bodies shorter than this are sent as they are.
const MIN_SIZE: u64 = 256;

#[derive(Clone)]
struct Config {
    high: Levels,
    fast: Levels,
    /// The largest body compressed whole and kept; larger ones stream.
    max_entry: u64,
    bypass: Option<Bypass>,
}

/// The layer; see the crate's documentation.
#[derive(Clone)]
pub struct CompressOnceLayer {
    config: Config,
    store: Arc<Store>,
}

impl Default for CompressOnceLayer {
    fn default() -> Self {
        Self::new()
    }
}

impl CompressOnceLayer {
    pub fn new() -> Self {
        CompressOnceLayer {
            config: Config {
                high: HIGH,
                fast: FAST,
                max_entry: (DEFAULT_CAPACITY / 4) as u64,
                bypass: None,
            },
            store: Arc::new(Store::new(DEFAULT_CAPACITY)),
        }
    }

    /// Bounds the kept bodies to `bytes` (a body over a quarter of it streams).
    pub fn capacity(mut self, bytes: usize) -> Self {
        self.store = Arc::new(Store::new(bytes));
        self.config.max_entry = (bytes / 4) as u64;
        self
    }

    /// The levels of kept compressions.
    pub fn high(mut self, levels: Levels) -> Self {
        self.config.high = levels;
        self
    }

    /// The levels of per-request compressions.
    pub fn fast(mut self, levels: Levels) -> Self {
        self.config.fast = levels;
        self
    }

    /// Answers to requests for which `f` is true are never kept (staff pages).
    pub fn never_cache(
        mut self,
        f: impl Fn(&http::request::Parts) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.config.bypass = Some(Arc::new(f));
        self
    }

    /// What the cache did so far; shared by every service of this layer.
    pub fn stats(&self) -> Stats {
        self.store.stats()
    }
}

impl<S> tower::Layer<S> for CompressOnceLayer {
    type Service = CompressOnce<S>;
    fn layer(&self, inner: S) -> CompressOnce<S> {
        CompressOnce {
            inner,
            shared: Arc::new(Shared {
                config: self.config.clone(),
                store: self.store.clone(),
            }),
        }
    }
}

struct Shared {
    config: Config,
    store: Arc<Store>,
}

/// The service [`CompressOnceLayer`] makes.
#[derive(Clone)]
pub struct CompressOnce<S> {
    inner: S,
    shared: Arc<Shared>,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, ReqB, ResB> tower::Service<Request<ReqB>> for CompressOnce<S>
where
    S: tower::Service<Request<ReqB>, Response = Response<ResB>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    ReqB: Send + 'static,
    ResB: Body<Data = Bytes> + Send + 'static,
    ResB::Error: Into<BoxError>,
{
    type Response = Response<CacheBody>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Response<CacheBody>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<ReqB>) -> Self::Future {
        // The clone that was not polled ready goes back in `self`.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let shared = self.shared.clone();
        let (mut parts, body) = req.into_parts();
        let asked = Asked::prepare(&shared.config, &mut parts);
        Box::pin(async move {
            let res = inner.call(Request::from_parts(parts, body)).await?;
            let res = shared.answer(&asked, res).await;
            Ok(if asked.head { without_body(res) } else { res })
        })
    }
}

/// What the layer keeps of a request to shape its answer.
struct Asked {
    encoding: Encoding,
    /// A `HEAD`, sent on as a `GET` (its answer then loses the body).
    head: bool,
    /// `If-None-Match` was sent, and one of its tags carried the suffix.
    had_if_none_match: bool,
    suffixed: bool,
    /// The answer may be kept (safe method, no credentials, not bypassed).
    keepable: bool,
    uri: String,
}

impl Asked {
    /// Reads the request and rewrites what the inner service must see:
    /// tags without their coding suffix, `HEAD` as `GET`.
    fn prepare(config: &Config, parts: &mut http::request::Parts) -> Asked {
        let all = [Encoding::Brotli, Encoding::Gzip];
        etag::strip_request_tags(&mut parts.headers, &IF_MATCH, &all);
        let safe = parts.method == Method::GET || parts.method == Method::HEAD;
        let encoding = negotiate(&parts.headers);
        let had_if_none_match = parts.headers.contains_key(IF_NONE_MATCH);
        let suffixed =
            safe && etag::strip_request_tags(&mut parts.headers, &IF_NONE_MATCH, &[encoding]);
        let keepable = safe
            && encoding != Encoding::Identity
            && !parts.headers.contains_key(AUTHORIZATION)
            && !config.bypass.as_ref().is_some_and(|f| f(parts));
        let head = parts.method == Method::HEAD;
        if head {
            parts.method = Method::GET;
        }
        let uri = if keepable {
            parts
                .uri
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_string()
        } else {
            String::new()
        };
        Asked {
            encoding,
            head,
            had_if_none_match,
            suffixed,
            keepable,
            uri,
        }
    }
}

impl Shared {
    async fn answer<B>(&self, asked: &Asked, res: Response<B>) -> Response<CacheBody>
    where
        B: Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let (mut parts, body) = res.into_parts();
        if parts.status == StatusCode::NOT_MODIFIED {
            not_modified(asked, &mut parts.headers);
            return Response::from_parts(parts, empty());
        }
        let exact = body.size_hint().exact();
        let bodiless = parts.status.is_informational() || parts.status == StatusCode::NO_CONTENT;
        if exact.is_some() && !bodiless && !parts.headers.contains_key(CONTENT_LENGTH) {
            // Known now, needed for HEAD once the body is gone.
            parts
                .headers
                .insert(CONTENT_LENGTH, HeaderValue::from(exact.unwrap_or(0)));
        }
        let untouched = parts.headers.contains_key(CONTENT_ENCODING)
            || parts.headers.contains_key(CONTENT_RANGE)
            || parts.status == StatusCode::PARTIAL_CONTENT
            || !content::compressible_response(&parts.headers);
        if untouched {
            return Response::from_parts(parts, boxed(body));
        }
        add_vary(&mut parts.headers);
        if asked.encoding == Encoding::Identity || exact.is_some_and(|n| n < MIN_SIZE) || bodiless {
            return Response::from_parts(parts, boxed(body));
        }
        match exact {
            Some(len) if self.keepable(asked, &parts, len) => {
                self.kept(asked, parts, body, len).await
            }
            _ => self.streamed(asked, parts, body),
        }
    }

    fn keepable(&self, asked: &Asked, parts: &http::response::Parts, len: u64) -> bool {
        let private = parts
            .headers
            .get_all(CACHE_CONTROL)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| {
                let v = v.to_ascii_lowercase();
                v.contains("no-store") || v.contains("private")
            });
        asked.keepable
            && parts.status == StatusCode::OK
            && len <= self.config.max_entry
            && !private
            && parts.headers.get(ETAG).is_some_and(etag::is_strong)
    }

    /// Compressed at the fast level as it streams; never kept.
    fn streamed<B>(
        &self,
        asked: &Asked,
        mut parts: http::response::Parts,
        body: B,
    ) -> Response<CacheBody>
    where
        B: Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        Counters::bump(&self.store.counters.streamed);
        encoded_headers(&mut parts.headers, asked.encoding, None);
        Response::from_parts(parts, codec::stream(asked.encoding, self.config.fast, body))
    }

    /// Served from the cache, compressed first when missing.
    async fn kept<B>(
        &self,
        asked: &Asked,
        parts: http::response::Parts,
        body: B,
        len: u64,
    ) -> Response<CacheBody>
    where
        B: Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let tag = parts.headers.get(ETAG).map(|t| t.as_bytes()).unwrap_or(b"");
        let key = format!(
            "{}\n{}\n{}",
            asked.encoding.token(),
            String::from_utf8_lossy(tag),
            asked.uri
        );
        let mut cell = self.store.slot(&key);
        match cell.get() {
            Some(c) if c.source_len == len => {
                Counters::bump(&self.store.counters.hits);
                return represent(asked.encoding, parts, c, body);
            }
            Some(_) => cell = self.store.renew(&key),
            None => {}
        }
        let source = match body.collect().await {
            Ok(c) => c.to_bytes(),
            Err(e) => return Response::from_parts(parts, failed(e.into())),
        };
        let made = cell
            .get_or_init(|| self.compress_off_runtime(asked.encoding, source.clone()))
            .await;
        let size = key.len() + made.body.as_ref().map_or(0, Bytes::len);
        self.store.settle(&key, &cell, size);
        if made.source_len != source.len() as u64 {
            // Another body under the same tag won the race: send ours as it is.
            return Response::from_parts(parts, boxed(Full::new(source)));
        }
        represent(asked.encoding, parts, made, Full::new(source))
    }

    async fn compress_off_runtime(&self, encoding: Encoding, source: Bytes) -> Compressed {
        Counters::bump(&self.store.counters.compressions);
        let levels = self.config.high;
        let source_len = source.len() as u64;
        let body = tokio::task::spawn_blocking(move || {
            codec::compress(encoding, levels, &source).filter(|c| c.len() < source.len())
        })
        .await
        .ok()
        .flatten()
        .map(Bytes::from);
        Compressed { body, source_len }
    }
}

/// The answer from a kept representation; `identity` is the inner body,
/// sent when compression did not make it smaller.
fn represent<B>(
    encoding: Encoding,
    mut parts: http::response::Parts,
    kept: &Compressed,
    identity: B,
) -> Response<CacheBody>
where
    B: Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    match &kept.body {
        Some(bytes) => {
            encoded_headers(&mut parts.headers, encoding, Some(bytes.len()));
            Response::from_parts(parts, boxed(Full::new(bytes.clone())))
        }
        None => Response::from_parts(parts, boxed(identity)),
    }
}

/// The headers of a compressed representation.
fn encoded_headers(headers: &mut HeaderMap, encoding: Encoding, len: Option<usize>) {
    headers.insert(CONTENT_ENCODING, HeaderValue::from_static(encoding.token()));
    headers.remove(ACCEPT_RANGES);
    match len {
        Some(n) => headers.insert(CONTENT_LENGTH, HeaderValue::from(n)),
        None => headers.remove(CONTENT_LENGTH),
    };
    if let Some(tag) = headers
        .get(ETAG)
        .and_then(|t| etag::with_suffix(t, encoding))
    {
        headers.insert(ETAG, tag);
    }
}

/// A 304 names the representation the client holds: the suffixed tag when
/// it sent one back (or, on a date check, when the body would be compressed).
fn not_modified(asked: &Asked, headers: &mut HeaderMap) {
    if asked.encoding == Encoding::Identity {
        return;
    }
    let compressible = content::compressible_response(headers);
    let suffixed = if asked.had_if_none_match {
        asked.suffixed
    } else {
        compressible
    };
    if suffixed || compressible {
        add_vary(headers);
    }
    if suffixed
        && let Some(tag) = headers
            .get(ETAG)
            .and_then(|t| etag::with_suffix(t, asked.encoding))
    {
        headers.insert(ETAG, tag);
    }
}

/// `Vary: Accept-Encoding`, unless already there (or `*`).
fn add_vary(headers: &mut HeaderMap) {
    let present = headers.get_all(VARY).iter().any(|v| {
        v.to_str().is_ok_and(|v| {
            v.split(',')
                .map(str::trim)
                .any(|t| t == "*" || t.eq_ignore_ascii_case("accept-encoding"))
        })
    });
    if !present {
        headers.append(VARY, HeaderValue::from_static("Accept-Encoding"));
    }
}

fn boxed<B>(body: B) -> CacheBody
where
    B: Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    body.map_err(Into::into).boxed_unsync()
}

fn empty() -> CacheBody {
    boxed(Empty::<Bytes>::new())
}

/// A body that fails as the inner one did (the connection is then closed).
fn failed(e: BoxError) -> CacheBody {
    let once = futures_util::stream::once(async move { Err::<http_body::Frame<Bytes>, _>(e) });
    http_body_util::StreamBody::new(once).boxed_unsync()
}

/// The answer to a `HEAD`: every header of the `GET`, no body.
fn without_body(res: Response<CacheBody>) -> Response<CacheBody> {
    let (parts, _) = res.into_parts();
    Response::from_parts(parts, empty())
}
