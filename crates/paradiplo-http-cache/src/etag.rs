//! Entity tags per representation: the inner service's strong `ETag`
//! `"abc"` becomes `"abc-br"` for the brotli body and `"abc-gzip"` for the
//! gzip one, and the suffix is taken off the tags a client sends back, so
//! that the inner service compares its own tags.

use crate::negotiate::Encoding;
use http::{HeaderMap, HeaderName, HeaderValue};

/// True for a strong entity tag: `"…"`, not `W/"…"`.
pub fn is_strong(tag: &HeaderValue) -> bool {
    let b = tag.as_bytes();
    b.len() >= 2 && b[0] == b'"' && b[b.len() - 1] == b'"'
}

/// `"abc"` → `"abc-br"`; `None` for a weak or malformed tag, or identity.
pub fn with_suffix(tag: &HeaderValue, encoding: Encoding) -> Option<HeaderValue> {
    let suffix = encoding.etag_suffix()?;
    if !is_strong(tag) {
        return None;
    }
    let b = tag.as_bytes();
    let mut out = Vec::with_capacity(b.len() + suffix.len());
    out.extend_from_slice(&b[..b.len() - 1]);
    out.extend_from_slice(suffix.as_bytes());
    out.push(b'"');
    HeaderValue::from_bytes(&out).ok()
}

/// The entity tags of a list header (`If-None-Match`, `If-Match`): each
/// `"…"` or `W/"…"`, or `*`. Commas may sit inside a tag, so the list is
/// scanned rather than split.
fn tags(value: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < value.len() {
        match value[i] {
            b' ' | b'\t' | b',' => i += 1,
            b'*' => {
                out.push(&value[i..=i]);
                i += 1;
            }
            _ => {
                let start = i;
                if value[i..].starts_with(b"W/") {
                    i += 2;
                }
                if value.get(i) != Some(&b'"') {
                    // Not a tag: keep the rest as it is.
                    out.push(&value[start..]);
                    break;
                }
                match value[i + 1..].iter().position(|b| *b == b'"') {
                    Some(end) => {
                        i += end + 2;
                        out.push(&value[start..i]);
                    }
                    None => {
                        out.push(&value[start..]);
                        break;
                    }
                }
            }
        }
    }
    out
}

/// One tag without `suffix` before its closing quote, if it has it.
fn strip(tag: &[u8], suffix: &str) -> Option<Vec<u8>> {
    let inner = tag.strip_suffix(b"\"")?;
    let base = inner.strip_suffix(suffix.as_bytes())?;
    // `""-br` is no tag of ours: keep at least the opening quote and one byte.
    let opening = if base.starts_with(b"W/") { 3 } else { 1 };
    if base.len() <= opening {
        return None;
    }
    let mut out = base.to_vec();
    out.push(b'"');
    Some(out)
}

/// Takes the suffixes of `encodings` off every tag of the `name` headers.
/// Returns true when some tag carried one.
pub fn strip_request_tags(
    headers: &mut HeaderMap,
    name: &HeaderName,
    encodings: &[Encoding],
) -> bool {
    let suffixes: Vec<&str> = encodings.iter().filter_map(|e| e.etag_suffix()).collect();
    if suffixes.is_empty() || !headers.contains_key(name) {
        return false;
    }
    let mut any = false;
    let mut rewritten = Vec::new();
    for value in headers.get_all(name) {
        let mut out: Vec<u8> = Vec::with_capacity(value.len());
        for tag in tags(value.as_bytes()) {
            if !out.is_empty() {
                out.extend_from_slice(b", ");
            }
            match suffixes.iter().find_map(|s| strip(tag, s)) {
                Some(base) => {
                    any = true;
                    out.extend_from_slice(&base);
                }
                None => out.extend_from_slice(tag),
            }
        }
        rewritten.push(HeaderValue::from_bytes(&out).unwrap_or_else(|_| value.clone()));
    }
    if any {
        headers.remove(name);
        for v in rewritten {
            headers.append(name.clone(), v);
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::IF_NONE_MATCH;

    fn hv(s: &str) -> HeaderValue {
        HeaderValue::from_str(s).unwrap()
    }

    #[test]
    fn strong_tags_get_one_suffix_per_coding() {
        assert_eq!(
            with_suffix(&hv("\"abc\""), Encoding::Brotli),
            Some(hv("\"abc-br\""))
        );
        assert_eq!(
            with_suffix(&hv("\"3-fr\""), Encoding::Gzip),
            Some(hv("\"3-fr-gzip\""))
        );
        assert_eq!(with_suffix(&hv("W/\"abc\""), Encoding::Brotli), None);
        assert_eq!(with_suffix(&hv("\"abc\""), Encoding::Identity), None);
        assert!(is_strong(&hv("\"\"")));
        assert!(!is_strong(&hv("abc")));
    }

    #[test]
    fn the_negotiated_suffix_comes_off_the_tags_a_client_sends() {
        let mut h = HeaderMap::new();
        h.insert(
            IF_NONE_MATCH,
            hv("\"abc-br\", W/\"x,y-br\", \"def-gzip\", *"),
        );
        assert!(strip_request_tags(
            &mut h,
            &IF_NONE_MATCH,
            &[Encoding::Brotli]
        ));
        assert_eq!(h[IF_NONE_MATCH], hv("\"abc\", W/\"x,y\", \"def-gzip\", *"));

        let mut h = HeaderMap::new();
        h.insert(IF_NONE_MATCH, hv("\"abc\""));
        assert!(!strip_request_tags(
            &mut h,
            &IF_NONE_MATCH,
            &[Encoding::Brotli]
        ));
        assert_eq!(h[IF_NONE_MATCH], hv("\"abc\""));

        let mut h = HeaderMap::new();
        h.insert(IF_NONE_MATCH, hv("\"-br\", \"a-gzip\""));
        assert!(strip_request_tags(
            &mut h,
            &IF_NONE_MATCH,
            &[Encoding::Brotli, Encoding::Gzip]
        ));
        assert_eq!(h[IF_NONE_MATCH], hv("\"-br\", \"a\""));
    }

    #[test]
    fn malformed_lists_are_kept_as_sent() {
        assert_eq!(tags(b"\"a\", junk"), vec![&b"\"a\""[..], &b"junk"[..]]);
        assert_eq!(tags(b"\"open"), vec![&b"\"open"[..]]);
        assert_eq!(tags(b""), Vec::<&[u8]>::new());
    }
}
