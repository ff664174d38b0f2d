//! Every bound on what a client may send, in one place (the table in
//! docs/OPERATIONS.md, "Limits", lists the same figures). Input beyond a
//! bound is refused at the edge, before anything is stored or echoed.

/// A sign-in e-mail: RFC 5321's longest deliverable address.
pub const SIGN_IN_EMAIL_MAX: usize = 254;
/// A sign-in password (Argon2 hashes the whole of it: no megabyte passwords).
pub const SIGN_IN_PASSWORD_MAX: usize = 1_024;
/// The whole sign-in form body (e-mail, password, `next`, CSRF token).
pub const SIGN_IN_BODY_MAX: usize = 8 * 1024;
/// A `next` address carried through sign-in.
pub const NEXT_MAX: usize = 512;
/// The client identifier kept with attempts, sessions and the audit log (an
/// IP address, or the first `X-Forwarded-For` hop behind a trusted proxy).
pub const CLIENT_MAX: usize = 64;
/// Any request body outside the staff workspace (JSON API, feedback form).
/// Staff forms accept the upload limit (20 MiB by default) plus 64 KiB.
pub const BODY_MAX: usize = 2 * 1024 * 1024;
/// The request line and headers together (hyper's read buffer): bounds
/// query strings and every header.
pub const HEAD_MAX: usize = 64 * 1024;
/// Headers in one request.
pub const HEADERS_MAX: usize = 100;

/// The longest prefix of `s` of at most `max` bytes that ends on a character
/// boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    #[test]
    fn truncation_keeps_whole_characters() {
        assert_eq!(super::truncate("abc", 10), "abc");
        assert_eq!(super::truncate("été", 2), "é");
        assert_eq!(super::truncate("été", 1), "");
    }
}
