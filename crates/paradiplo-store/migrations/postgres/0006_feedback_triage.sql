-- The staff dashboard's triage states (issue 5): new, reviewed, actionable,
-- resolved, duplicate, spam, irrelevant. Spam and irrelevant answers leave
-- the scores.
ALTER TABLE feedback DROP CONSTRAINT feedback_status_check;
UPDATE feedback SET status = CASE status WHEN 'in_progress' THEN 'actionable' WHEN 'done' THEN 'resolved'
                                         WHEN 'dismissed' THEN 'irrelevant' ELSE status END;
ALTER TABLE feedback ADD CONSTRAINT feedback_status_check
    CHECK (status IN ('new', 'reviewed', 'actionable', 'resolved', 'duplicate', 'spam', 'irrelevant'));
