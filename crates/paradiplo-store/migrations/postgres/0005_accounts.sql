-- Staff accounts, sessions shared by every instance, login throttling, the
-- audit log, and the publishing workflow (pending drafts, publications).

CREATE TABLE users (
    id             BIGSERIAL PRIMARY KEY,
    email          TEXT    NOT NULL UNIQUE,
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('reader', 'editor', 'publisher', 'admin')),
    disabled       BIGINT  NOT NULL DEFAULT 0,
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL
);

-- Only a SHA-256 digest of the session id is stored: a copy of the table
-- does not let anyone sign in.
CREATE TABLE sessions (
    id_hash       TEXT    PRIMARY KEY,
    user_id       BIGINT  NOT NULL REFERENCES users (id),
    csrf          TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    last_seen_at  TEXT    NOT NULL,
    expires_at    TEXT    NOT NULL,
    client        TEXT    NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_attempts (
    id       BIGSERIAL PRIMARY KEY,
    at       TEXT    NOT NULL,
    email    TEXT    NOT NULL,
    client   TEXT    NOT NULL,
    success  BIGINT  NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email, id);
CREATE INDEX login_attempts_client ON login_attempts (client, at);

CREATE TABLE audit_log (
    id      BIGSERIAL PRIMARY KEY,
    at      TEXT    NOT NULL,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    slug    TEXT    NOT NULL,
    detail  TEXT    NOT NULL,
    client  TEXT    NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, at);
CREATE INDEX audit_log_record ON audit_log (kind, slug, at);

-- The pending next version of a record (or a record never published yet).
-- The public never reads this table.
CREATE TABLE drafts (
    kind             TEXT    NOT NULL,
    slug             TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    base_version     BIGINT,
    revision         BIGINT  NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('draft', 'submitted')),
    notes            TEXT    NOT NULL,
    created_by       TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    updated_by       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    submitted_by     TEXT,
    submitted_at     TEXT,
    scheduled_at     TEXT,
    scheduled_by     TEXT,
    schedule_reason  TEXT,
    schedule_note    TEXT,
    PRIMARY KEY (kind, slug)
);
CREATE INDEX drafts_scheduled ON drafts (scheduled_at);

-- Every publication: who, when, whether the change was substantive, the
-- public change note, and for a forced publication its reason and review.
CREATE TABLE publications (
    id             BIGSERIAL PRIMARY KEY,
    kind           TEXT    NOT NULL,
    slug           TEXT    NOT NULL,
    version        BIGINT  NOT NULL,
    at             TEXT    NOT NULL,
    published_by   TEXT    NOT NULL,
    substantive    BIGINT  NOT NULL,
    public_note    TEXT,
    forced_reason  TEXT,
    reviewed_by    TEXT,
    reviewed_at    TEXT
);
CREATE INDEX publications_record ON publications (kind, slug, version);

-- When the public last learned of a substantive change: what a page's
-- "last updated" shows.
ALTER TABLE records ADD COLUMN public_changed_at TEXT;
UPDATE records SET public_changed_at = updated_at;
