-- A staff member's secret address for subscribing to the deadlines calendar
-- (calendar apps cannot sign in). At most one per account; only the SHA-256
-- of the secret is kept, so a copy of the table subscribes no one.
CREATE TABLE calendar_tokens (
    user_id     BIGINT  PRIMARY KEY REFERENCES users (id),
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  TEXT    NOT NULL
);
