-- Feedback to a group's staff liaison (issue 6, points 7 to 9). Same
-- conventions as 001: times are unix seconds, enums are CHECKed text.

-- One message from a member to the group's staff. liaison_id is the liaison
-- who looks after it (NULL while the group has none); it moves with the
-- liaisons in the same transaction as the role change (see
-- FeedbackRepository::RehomeOpen). An account's feedback goes with the
-- account. AUTOINCREMENT: "feedback:<id>" keys in the outbox and in
-- notifications must name one item forever.
CREATE TABLE feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  group_id INTEGER NOT NULL REFERENCES interest_groups (id) ON DELETE CASCADE,
  author_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  liaison_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  category TEXT NOT NULL
    CHECK (category = 'idea' OR category = 'resource_request' OR category = 'concern' OR
           category = 'program_proposal' OR category = 'other'),
  status TEXT NOT NULL DEFAULT 'new'
    CHECK (status = 'new' OR status = 'acknowledged' OR status = 'in_progress' OR
           status = 'resolved'),
  body TEXT NOT NULL,
  quote_consent INTEGER NOT NULL DEFAULT 0 CHECK (quote_consent = 0 OR quote_consent = 1),
  summary_thread_id INTEGER REFERENCES threads (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- The staff inbox, newest first, all or by status.
CREATE INDEX feedback_group ON feedback (group_id, id DESC);
CREATE INDEX feedback_group_status ON feedback (group_id, status, id DESC);
-- A member's own feedback.
CREATE INDEX feedback_author ON feedback (author_id, group_id, id DESC);
-- Open feedback by liaison, for handing over when liaisons change.
CREATE INDEX feedback_open_liaison ON feedback (group_id, liaison_id)
  WHERE status <> 'resolved';

CREATE TABLE feedback_replies (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  feedback_id INTEGER NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
  author_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX feedback_replies_feedback ON feedback_replies (feedback_id, id);

-- notifications gains the kind 'feedback' and a feedback_id column. It is
-- rebuilt as 006 did (SQLite cannot alter a CHECK): same columns, ids and
-- AUTOINCREMENT counter; no foreign key points at it, and this runs inside
-- the migration's transaction.
CREATE TABLE notifications_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind TEXT NOT NULL
    CHECK (kind = 'reply' OR kind = 'answer_accepted' OR kind = 'private_message'
           OR kind = 'mention' OR kind = 'feedback'),
  actor_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  thread_id INTEGER REFERENCES threads (id) ON DELETE CASCADE,
  post_id INTEGER REFERENCES posts (id) ON DELETE CASCADE,
  conversation_id INTEGER REFERENCES conversations (id) ON DELETE CASCADE,
  read INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
  created_at INTEGER NOT NULL,
  feedback_id INTEGER REFERENCES feedback (id) ON DELETE CASCADE
);
INSERT INTO notifications_new (id, account_id, kind, actor_id, thread_id, post_id,
                               conversation_id, read, created_at)
  SELECT id, account_id, kind, actor_id, thread_id, post_id, conversation_id, read, created_at
  FROM notifications ORDER BY id;
DELETE FROM sqlite_sequence WHERE name = 'notifications_new';
UPDATE sqlite_sequence SET name = 'notifications_new' WHERE name = 'notifications';
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_account ON notifications (account_id, id DESC);
CREATE INDEX notifications_unread ON notifications (account_id, read) WHERE read = 0;

-- The email switch for the new kind (008 keyed switches by kind, but its
-- CHECK lists the kinds). Rebuilt the same way; nothing points at it.
CREATE TABLE notification_email_settings_new (
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind TEXT NOT NULL
    CHECK (kind = 'reply' OR kind = 'answer_accepted' OR
           kind = 'private_message' OR kind = 'mention' OR kind = 'feedback'),
  email INTEGER NOT NULL CHECK (email = 0 OR email = 1),
  PRIMARY KEY (account_id, kind)
);
INSERT INTO notification_email_settings_new (account_id, kind, email)
  SELECT account_id, kind, email FROM notification_email_settings;
DROP TABLE notification_email_settings;
ALTER TABLE notification_email_settings_new RENAME TO notification_email_settings;
