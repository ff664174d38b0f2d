-- API tokens for staff scripts: only the SHA-256 of the secret is kept.
CREATE TABLE api_tokens (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT    NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('reader', 'editor', 'publisher', 'admin')),
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  TEXT    NOT NULL,
    created_by  TEXT    NOT NULL,
    revoked_at  TEXT
);
