//! The two ways a body is compressed: whole, at a high level, once per
//! representation (then kept); or streamed at a fast level, for answers that
//! cannot be kept.

use crate::negotiate::Encoding;
use crate::{BoxError, CacheBody};
use bytes::Bytes;
use futures_util::TryStreamExt;
use http_body::{Body, Frame};
use http_body_util::{BodyExt, StreamBody};
use std::io::Write;

/// Compression levels for brotli (0–11) and gzip (0–9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Levels {
    pub brotli: u32,
    pub gzip: u32,
}

/// Compresses a whole body; `None` for identity.
pub fn compress(encoding: Encoding, levels: Levels, body: &[u8]) -> Option<Vec<u8>> {
    match encoding {
        Encoding::Brotli => {
            let params = brotli::enc::BrotliEncoderParams {
                quality: levels.brotli.min(11) as i32,
                lgwin: window_bits(body.len()),
                size_hint: body.len(),
                ..Default::default()
            };
            let mut out = Vec::with_capacity(body.len() / 4 + 64);
            brotli::BrotliCompress(&mut &body[..], &mut out, &params).ok()?;
            Some(out)
        }
        Encoding::Gzip => {
            let level = flate2::Compression::new(levels.gzip.min(9));
            let mut w =
                flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 3 + 64), level);
            w.write_all(body).ok()?;
            w.finish().ok()
        }
        Encoding::Identity => None,
    }
}

/// The smallest brotli window (10–24 bits) that holds the whole body: a
/// smaller window costs less memory and time and loses nothing.
fn window_bits(len: usize) -> i32 {
    (10..24)
        .find(|bits| (1usize << bits) - 16 >= len)
        .unwrap_or(24)
}

/// A body compressed as it streams, at `levels` (meant to be fast).
pub fn stream<B>(encoding: Encoding, levels: Levels, body: B) -> CacheBody
where
    B: Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    use async_compression::Level;
    use async_compression::tokio::bufread::{BrotliEncoder, GzipEncoder};

    let data = body
        .into_data_stream()
        .map_err(|e| std::io::Error::other(e.into()));
    let reader = tokio_util::io::StreamReader::new(data);
    match encoding {
        Encoding::Brotli => framed(BrotliEncoder::with_quality(
            reader,
            Level::Precise(levels.brotli as i32),
        )),
        Encoding::Gzip => framed(GzipEncoder::with_quality(
            reader,
            Level::Precise(levels.gzip as i32),
        )),
        Encoding::Identity => framed(reader),
    }
}

/// The bytes a reader yields, as a response body.
fn framed<R>(reader: R) -> CacheBody
where
    R: tokio::io::AsyncRead + Send + 'static,
{
    let s = tokio_util::io::ReaderStream::new(reader)
        .map_ok(Frame::data)
        .map_err(BoxError::from);
    StreamBody::new(s).boxed_unsync()
}
