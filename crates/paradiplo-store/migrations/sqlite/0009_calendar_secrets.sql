-- One mechanism for every calendar secret (issue 15): the deadlines calendar
-- (was `calendar_tokens`, keyed by account) and the follow-ups feed (was
-- `follow_up_feed_tokens`, keyed by e-mail) become one table keyed by
-- account and feed. Only the SHA-256 of a secret is kept; at most one per
-- account and feed. Existing secrets move over and keep working (a follow-up
-- secret whose e-mail names no account was already unusable and is dropped).
CREATE TABLE calendar_secrets (
    user_id     BIGINT  NOT NULL REFERENCES users (id),
    feed        TEXT    NOT NULL CHECK (feed IN ('deadlines', 'follow_ups')),
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (user_id, feed)
);

INSERT INTO calendar_secrets (user_id, feed, token_hash, created_at)
    SELECT user_id, 'deadlines', token_hash, created_at FROM calendar_tokens;

INSERT INTO calendar_secrets (user_id, feed, token_hash, created_at)
    SELECT u.id, 'follow_ups', t.token_hash, t.created_at
    FROM follow_up_feed_tokens t JOIN users u ON u.email = t.user_email;

DROP TABLE calendar_tokens;
DROP TABLE follow_up_feed_tokens;
