-- Page feedback from the public portal ("Was this page useful?"), with the
-- triage columns the staff dashboard works on. Comments are stored only after
-- personal data (e-mails, phone numbers, postal codes…) has been masked.
CREATE TABLE feedback (
    id          BIGSERIAL PRIMARY KEY,
    path        TEXT    NOT NULL,
    section     TEXT    NOT NULL,
    lang        TEXT    NOT NULL CHECK (lang IN ('fr', 'en')),
    answer      TEXT    NOT NULL CHECK (answer IN ('yes', 'no')),
    reason      TEXT,
    comment     TEXT,
    created_at  TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_progress', 'done', 'dismissed')),
    owner       TEXT,
    due_date    TEXT,
    triaged_at  TEXT
);
CREATE INDEX feedback_path ON feedback (path, created_at);
CREATE INDEX feedback_created ON feedback (created_at);
CREATE INDEX feedback_status ON feedback (status);
