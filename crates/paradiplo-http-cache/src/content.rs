//! Which media types are worth compressing: text and the structured text
//! formats; never images, PDFs, archives or fonts already compressed.

use http::HeaderMap;
use http::header::CONTENT_TYPE;

/// True when a body of this `Content-Type` shrinks with gzip or brotli.
pub fn compressible(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let Some((kind, sub)) = essence.split_once('/') else {
        return false;
    };
    if kind == "text" {
        // Server-sent events are a stream the client reads as it comes.
        return sub != "event-stream";
    }
    if kind == "image" {
        return sub == "svg+xml" || sub == "x-icon" || sub == "vnd.microsoft.icon" || sub == "bmp";
    }
    if kind != "application" {
        return false;
    }
    const NAMED: [&str; 11] = [
        "json",
        "xml",
        "javascript",
        "ecmascript",
        "x-javascript",
        "wasm",
        "manifest+json",
        "x-ndjson",
        "vnd.oai.openapi",
        "yaml",
        "x-yaml",
    ];
    NAMED.contains(&sub)
        || sub.ends_with("+json")
        || sub.ends_with("+xml")
        || sub.ends_with("+yaml")
        || sub.ends_with("-json")
}

/// True when the response's `Content-Type` is compressible.
pub fn compressible_response(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(compressible)
}

#[cfg(test)]
mod tests {
    use super::compressible;

    #[test]
    fn text_formats_are_compressed_and_compressed_formats_are_not() {
        for t in [
            "text/html; charset=utf-8",
            "text/css",
            "text/csv; charset=utf-8",
            "text/calendar",
            "text/plain",
            "application/json",
            "application/ld+json",
            "application/problem+json",
            "application/geo+json",
            "application/atom+xml",
            "application/rss+xml",
            "application/xml",
            "application/javascript",
            "image/svg+xml",
            "image/x-icon",
            "APPLICATION/JSON",
        ] {
            assert!(compressible(t), "{t} should be compressed");
        }
        for t in [
            "image/png",
            "image/jpeg",
            "image/webp",
            "application/pdf",
            "application/zip",
            "application/gzip",
            "application/octet-stream",
            "font/woff2",
            "text/event-stream",
            "video/mp4",
            "",
            "html",
        ] {
            assert!(!compressible(t), "{t} should not be compressed");
        }
    }
}
