-- Replies fan out in the outbox runner (src/jobs/) instead of their own
-- transaction, so the outbox becomes a work queue, and notification inserts,
-- which the runner does by the thousand, get cheaper.

-- Why a row stopped being retried, and when; see OutboxRepository.
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN gave_up_at INTEGER;
-- Pending rows by kind, oldest first: the runner's claim query. Partial, so
-- sent rows (nearly all of them, in time) stay out of it.
CREATE INDEX outbox_pending ON outbox (kind, id)
  WHERE sent_at IS NULL AND gave_up_at IS NULL;

-- notifications is rebuilt (SQLite cannot alter a CHECK) so that its kind
-- check is a chain of equalities: SQLite evaluates `kind IN (4 values)` by
-- building an ephemeral table for every inserted row (~7.5k instructions a
-- row). Same columns, ids and AUTOINCREMENT counter; no foreign key points
-- at notifications, and this runs inside the migration's transaction.
CREATE TABLE notifications_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind TEXT NOT NULL
    CHECK (kind = 'reply' OR kind = 'answer_accepted' OR kind = 'private_message'
           OR kind = 'mention'),
  actor_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  thread_id INTEGER REFERENCES threads (id) ON DELETE CASCADE,
  post_id INTEGER REFERENCES posts (id) ON DELETE CASCADE,
  conversation_id INTEGER REFERENCES conversations (id) ON DELETE CASCADE,
  read INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
  created_at INTEGER NOT NULL
);
INSERT INTO notifications_new (id, account_id, kind, actor_id, thread_id, post_id,
                               conversation_id, read, created_at)
  SELECT id, account_id, kind, actor_id, thread_id, post_id, conversation_id, read, created_at
  FROM notifications ORDER BY id;
-- The counter may be above MAX(id) (the newest rows deleted): carry the old
-- one over, since "notification:<id>" outbox keys must never name a new row.
DELETE FROM sqlite_sequence WHERE name = 'notifications_new';
UPDATE sqlite_sequence SET name = 'notifications_new' WHERE name = 'notifications';
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_account ON notifications (account_id, id DESC);
CREATE INDEX notifications_unread ON notifications (account_id, read) WHERE read = 0;
