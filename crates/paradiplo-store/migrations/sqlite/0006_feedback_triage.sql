-- The staff dashboard's triage states (issue 5): new, reviewed, actionable,
-- resolved, duplicate, spam, irrelevant. Spam and irrelevant answers leave
-- the scores. SQLite cannot change a CHECK constraint in place: the table is
-- rebuilt, ids kept.
CREATE TABLE feedback_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    path        TEXT    NOT NULL,
    section     TEXT    NOT NULL,
    lang        TEXT    NOT NULL CHECK (lang IN ('fr', 'en')),
    answer      TEXT    NOT NULL CHECK (answer IN ('yes', 'no')),
    reason      TEXT,
    comment     TEXT,
    created_at  TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'reviewed', 'actionable', 'resolved', 'duplicate', 'spam', 'irrelevant')),
    owner       TEXT,
    due_date    TEXT,
    triaged_at  TEXT
);
INSERT INTO feedback_new (id, path, section, lang, answer, reason, comment, created_at, status, owner, due_date, triaged_at)
SELECT id, path, section, lang, answer, reason, comment, created_at,
       CASE status WHEN 'in_progress' THEN 'actionable' WHEN 'done' THEN 'resolved'
                   WHEN 'dismissed' THEN 'irrelevant' ELSE status END,
       owner, due_date, triaged_at
FROM feedback;
DROP TABLE feedback;
ALTER TABLE feedback_new RENAME TO feedback;
CREATE INDEX feedback_path ON feedback (path, created_at);
CREATE INDEX feedback_created ON feedback (created_at);
CREATE INDEX feedback_status ON feedback (status);
