-- One secret per staff member for their follow-up calendar feed (issue 9):
-- only the SHA-256 of the secret is kept; a new secret replaces the old one.
CREATE TABLE follow_up_feed_tokens (
    user_email  TEXT    NOT NULL PRIMARY KEY,
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  TEXT    NOT NULL
);
