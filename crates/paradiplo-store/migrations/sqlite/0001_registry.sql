-- The registry: the current version of every record, and every version ever written.
CREATE TABLE records (
    kind        TEXT    NOT NULL,
    slug        TEXT    NOT NULL,
    version     BIGINT  NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('draft', 'published', 'archived')),
    body        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    updated_by  TEXT    NOT NULL,
    PRIMARY KEY (kind, slug)
);
CREATE INDEX records_state ON records (kind, state);

CREATE TABLE revisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL,
    slug        TEXT    NOT NULL,
    version     BIGINT  NOT NULL,
    action      TEXT    NOT NULL CHECK (action IN ('create', 'update', 'archive', 'restore')),
    state       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    author      TEXT    NOT NULL,
    at          TEXT    NOT NULL,
    note        TEXT    NOT NULL,
    UNIQUE (kind, slug, version),
    FOREIGN KEY (kind, slug) REFERENCES records (kind, slug)
);
CREATE INDEX revisions_at ON revisions (at);

-- Files attached to documents, by content digest, so that every version of a
-- document keeps its file and several instances share them.
CREATE TABLE blobs (
    sha256      TEXT    PRIMARY KEY,
    media_type  TEXT    NOT NULL,
    size        BIGINT  NOT NULL,
    bytes       BLOB    NOT NULL,
    created_at  TEXT    NOT NULL
);

CREATE TABLE settings (
    key         TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL
);
