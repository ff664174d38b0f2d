//! Which content coding to send: `Accept-Encoding` read with its q-values
//! (RFC 9110 §12.5.3). On equal weights brotli is preferred, then gzip, then
//! the body as it is.

use http::HeaderMap;
use http::header::ACCEPT_ENCODING;

/// A content coding this layer produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The `Content-Encoding` token.
    pub fn token(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
            Encoding::Identity => "identity",
        }
    }

    /// The suffix added to a strong `ETag` for this coding's representation
    /// (`"abc"` → `"abc-br"`); none for the body as it is.
    pub fn etag_suffix(self) -> Option<&'static str> {
        match self {
            Encoding::Brotli => Some("-br"),
            Encoding::Gzip => Some("-gzip"),
            Encoding::Identity => None,
        }
    }

    /// Order among equal q-values: higher wins.
    fn rank(self) -> u8 {
        match self {
            Encoding::Brotli => 2,
            Encoding::Gzip => 1,
            Encoding::Identity => 0,
        }
    }
}

/// A q-value in thousandths; `None` when it does not parse (the entry is ignored).
fn qvalue(params: Option<&str>) -> Option<u16> {
    let Some(params) = params else {
        return Some(1000);
    };
    let q = params
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")));
    let Some(q) = q else {
        return Some(1000);
    };
    let (int, frac) = q.split_once('.').unwrap_or((q, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = match int {
        "0" => frac
            .bytes()
            .chain(std::iter::repeat(b'0'))
            .take(3)
            .fold(0u16, |acc, b| acc * 10 + u16::from(b - b'0')),
        "1" if frac.bytes().all(|b| b == b'0') => 1000,
        _ => return None,
    };
    Some(thousandths)
}

/// The coding to send for a request's headers. Without `Accept-Encoding`
/// the body goes as it is; `*` stands for the codings not named; a coding
/// with `q=0` is never chosen, and when every coding (identity included) is
/// refused the body still goes as it is (the server may ignore the header).
pub fn negotiate(headers: &HeaderMap) -> Encoding {
    let mut br = None;
    let mut gzip = None;
    let mut identity = None;
    let mut star = None;
    for entry in headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
    {
        let (name, params) = match entry.split_once(';') {
            Some((n, p)) => (n.trim(), Some(p)),
            None => (entry.trim(), None),
        };
        let Some(q) = qvalue(params) else { continue };
        let slot = if name.eq_ignore_ascii_case("br") {
            &mut br
        } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
            &mut gzip
        } else if name.eq_ignore_ascii_case("identity") {
            &mut identity
        } else if name == "*" {
            &mut star
        } else {
            continue;
        };
        *slot = Some(q);
    }
    // Identity is acceptable unless refused by name or by `*;q=0` (§12.5.3).
    let identity_q = identity.or(star.filter(|q| *q == 0)).unwrap_or(1);
    [
        (Encoding::Brotli, br.or(star).unwrap_or(0)),
        (Encoding::Gzip, gzip.or(star).unwrap_or(0)),
        (Encoding::Identity, identity_q),
    ]
    .into_iter()
    .filter(|(_, q)| *q > 0)
    .max_by_key(|(e, q)| (*q, e.rank()))
    .map(|(e, _)| e)
    .unwrap_or(Encoding::Identity)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn pick(value: &str) -> Encoding {
        let mut h = HeaderMap::new();
        h.insert(ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        negotiate(&h)
    }

    #[test]
    fn browsers_get_brotli_and_q_values_are_honoured() {
        assert_eq!(negotiate(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(pick("gzip, deflate, br"), Encoding::Brotli);
        assert_eq!(pick("br, gzip"), Encoding::Brotli);
        assert_eq!(pick("gzip, deflate"), Encoding::Gzip);
        assert_eq!(pick("br;q=0.5, gzip;q=0.8"), Encoding::Gzip);
        assert_eq!(pick("br;q=0, gzip;q=0"), Encoding::Identity);
        assert_eq!(pick("gzip;q=0.001, identity;q=0"), Encoding::Gzip);
        assert_eq!(pick("identity;q=1, gzip;q=0.5"), Encoding::Identity);
        assert_eq!(pick("*"), Encoding::Brotli);
        assert_eq!(pick("gzip;q=1, *;q=0"), Encoding::Gzip);
        assert_eq!(pick("deflate"), Encoding::Identity);
        assert_eq!(pick("GZIP; Q=0.7, br;q=0.70"), Encoding::Brotli);
        // An unreadable weight drops the entry, not the header.
        assert_eq!(pick("br;q=2, gzip"), Encoding::Gzip);
        assert_eq!(pick("br;q=0.1234, gzip;q=0.2"), Encoding::Gzip);
    }

    #[test]
    fn q_values_read_as_thousandths() {
        assert_eq!(qvalue(None), Some(1000));
        assert_eq!(qvalue(Some("q=0.5")), Some(500));
        assert_eq!(qvalue(Some(" q=0.05")), Some(50));
        assert_eq!(qvalue(Some("q=1.000")), Some(1000));
        assert_eq!(qvalue(Some("q=0")), Some(0));
        assert_eq!(qvalue(Some("q=1.5")), None);
        assert_eq!(qvalue(Some("q=x")), None);
    }
}
