-- Discussions, private conversations, notifications and the outbox.
-- Same conventions as 001: INTEGER ids, unix-second times, 0/1 booleans.
-- The runner wraps each file in its transaction: no BEGIN/COMMIT here.
--
-- Foreign keys: rows that only make sense for one account (follows, reads,
-- notifications, idempotency keys) go with that account; authored content
-- (threads, posts, messages) blocks deleting its author instead, since
-- losing other people's discussion silently would be worse.

-- threads and posts reference each other (first and accepted post); SQLite
-- checks foreign keys per statement, so Create inserts the thread, then its
-- first post, then links them.
CREATE TABLE threads (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL REFERENCES interest_groups (id) ON DELETE CASCADE,
  author_id INTEGER NOT NULL REFERENCES accounts (id),
  kind TEXT NOT NULL CHECK (kind IN ('discussion', 'question', 'story')),
  title TEXT NOT NULL,
  pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
  locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
  first_post_id INTEGER REFERENCES posts (id),
  accepted_post_id INTEGER REFERENCES posts (id),
  consent TEXT NOT NULL DEFAULT 'group_only'
    CHECK (consent IN ('group_only', 'staff_advocacy', 'public')),
  -- Visible replies (not the first post, not deleted), kept by the store so
  -- lists need no COUNT per thread.
  reply_count INTEGER NOT NULL DEFAULT 0 CHECK (reply_count >= 0),
  created_at INTEGER NOT NULL,
  last_activity_at INTEGER NOT NULL
);
-- Serves the keyset list: equality on group, then the list order.
CREATE INDEX threads_list
  ON threads (group_id, pinned DESC, last_activity_at DESC, id DESC);

CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  thread_id INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  author_id INTEGER NOT NULL REFERENCES accounts (id),
  reply_to INTEGER REFERENCES posts (id) ON DELETE SET NULL,
  body_source TEXT NOT NULL,
  body_html TEXT NOT NULL,
  render_version INTEGER NOT NULL DEFAULT 0,
  via TEXT NOT NULL CHECK (via IN ('web', 'api', 'email')),
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  recommend_count INTEGER NOT NULL DEFAULT 0 CHECK (recommend_count >= 0),
  created_at INTEGER NOT NULL,
  edited_at INTEGER,
  deleted_at INTEGER
);
CREATE INDEX posts_thread ON posts (thread_id, id);
CREATE INDEX posts_author ON posts (author_id);
-- ListStale finds the few posts an older renderer produced without a scan.
CREATE INDEX posts_render_version ON posts (render_version);
-- "Most recommended" reads only the few posts anyone recommended.
CREATE INDEX posts_recommended ON posts (recommend_count DESC, id DESC)
  WHERE recommend_count > 0 AND deleted = 0;

-- Earlier texts of edited posts; replaced_at is when each stopped being
-- current.
CREATE TABLE post_revisions (
  id INTEGER PRIMARY KEY,
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  body_source TEXT NOT NULL,
  body_html TEXT NOT NULL,
  replaced_at INTEGER NOT NULL
);
CREATE INDEX post_revisions_post ON post_revisions (post_id, id);

CREATE TABLE recommendations (
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (post_id, account_id)
);
-- RecommendedBy looks up one account's rows.
CREATE INDEX recommendations_account ON recommendations (account_id, post_id);

CREATE TABLE thread_follows (
  thread_id INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (thread_id, account_id)
);
CREATE INDEX thread_follows_account ON thread_follows (account_id);

-- A conversation is always between exactly two accounts, stored in id order
-- so each pair has exactly one row.
CREATE TABLE conversations (
  id INTEGER PRIMARY KEY,
  account_a INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  account_b INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  last_message_at INTEGER NOT NULL,
  CHECK (account_a < account_b),
  UNIQUE (account_a, account_b)
);
-- The unique index serves the inbox for account_a; this one for account_b.
CREATE INDEX conversations_b ON conversations (account_b);

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL
    REFERENCES conversations (id) ON DELETE CASCADE,
  author_id INTEGER NOT NULL REFERENCES accounts (id),
  about_post INTEGER REFERENCES posts (id) ON DELETE SET NULL,
  body_source TEXT NOT NULL,
  body_html TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);

-- How far each participant has read; no row means nothing read yet.
CREATE TABLE conversation_reads (
  conversation_id INTEGER NOT NULL
    REFERENCES conversations (id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  last_read_message_id INTEGER NOT NULL DEFAULT 0,
  read_at INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, account_id)
);

-- AUTOINCREMENT so an id is never reused after a delete: the outbox dedupe
-- key "notification:<id>" must name one notification forever.
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind TEXT NOT NULL
    CHECK (kind IN ('reply', 'answer_accepted', 'private_message', 'mention')),
  actor_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  thread_id INTEGER REFERENCES threads (id) ON DELETE CASCADE,
  post_id INTEGER REFERENCES posts (id) ON DELETE CASCADE,
  conversation_id INTEGER REFERENCES conversations (id) ON DELETE CASCADE,
  read INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
  created_at INTEGER NOT NULL
);
CREATE INDEX notifications_account ON notifications (account_id, id DESC);

-- Work for other systems (email today), written in the same transaction as
-- the change that causes it so nothing is sent for a rolled-back change and
-- nothing is lost for a committed one. dedupe_key makes enqueueing
-- idempotent.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  payload TEXT NOT NULL,  -- JSON object
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);

-- Responses to POSTs that carried an Idempotency-Key, per account.
CREATE TABLE idempotency_keys (
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, key)
);
