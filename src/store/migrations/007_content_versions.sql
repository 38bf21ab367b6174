-- Versions of what thread pages and group thread lists show, so a process
-- can keep what it read (store/sqlite/content_cache.h) and check it with one
-- indexed read instead of re-reading every post. Same conventions as 005:
-- triggers bump a version in the same transaction as the write, whichever
-- process or code path writes, and versions start at a random value so a
-- copy kept for one database file is never taken for a later file at the
-- same path (or a later thread that reuses an id).
--
-- Additive: tables and triggers only.

-- One row per thread: its row and its posts (insert, edit, soft delete,
-- re-render, recommend counts, accepted answer, pin, lock, consent, reply
-- counts). Recommendations reach the posts row through recommend_count.
CREATE TABLE thread_versions (
  thread_id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL
);

-- One row per group: the rows of its threads (list order, titles, counts).
CREATE TABLE group_thread_versions (
  group_id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL
);

INSERT INTO thread_versions (thread_id, version)
  SELECT id, abs(random() / 2) FROM threads;
INSERT INTO group_thread_versions (group_id, version)
  SELECT id, abs(random() / 2) FROM interest_groups;

-- "accounts": the display fields pages show beside content (name, job
-- title). Other profile edits (password, sign-in data) leave it alone.
INSERT INTO cache_versions (name, version) VALUES ('accounts', abs(random() / 2));

CREATE TRIGGER accounts_display_version_update AFTER UPDATE OF name, job_title ON accounts
WHEN OLD.name IS NOT NEW.name OR OLD.job_title IS NOT NEW.job_title
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'accounts';
END;

CREATE TRIGGER accounts_display_version_delete AFTER DELETE ON accounts
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'accounts';
END;

CREATE TRIGGER threads_content_version_insert AFTER INSERT ON threads
BEGIN
  INSERT INTO thread_versions (thread_id, version) VALUES (NEW.id, abs(random() / 2))
    ON CONFLICT (thread_id) DO UPDATE SET version = version + 1;
  INSERT INTO group_thread_versions (group_id, version) VALUES (NEW.group_id, abs(random() / 2))
    ON CONFLICT (group_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER threads_content_version_update AFTER UPDATE ON threads
BEGIN
  INSERT INTO thread_versions (thread_id, version) VALUES (NEW.id, abs(random() / 2))
    ON CONFLICT (thread_id) DO UPDATE SET version = version + 1;
  INSERT INTO group_thread_versions (group_id, version) VALUES (NEW.group_id, abs(random() / 2))
    ON CONFLICT (group_id) DO UPDATE SET version = version + 1;
  -- A thread moved to another group leaves the old group's list too.
  INSERT INTO group_thread_versions (group_id, version) VALUES (OLD.group_id, abs(random() / 2))
    ON CONFLICT (group_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER threads_content_version_delete AFTER DELETE ON threads
BEGIN
  INSERT INTO thread_versions (thread_id, version) VALUES (OLD.id, abs(random() / 2))
    ON CONFLICT (thread_id) DO UPDATE SET version = version + 1;
  INSERT INTO group_thread_versions (group_id, version) VALUES (OLD.group_id, abs(random() / 2))
    ON CONFLICT (group_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER posts_content_version_insert AFTER INSERT ON posts
BEGIN
  INSERT INTO thread_versions (thread_id, version) VALUES (NEW.thread_id, abs(random() / 2))
    ON CONFLICT (thread_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER posts_content_version_update AFTER UPDATE ON posts
BEGIN
  INSERT INTO thread_versions (thread_id, version) VALUES (NEW.thread_id, abs(random() / 2))
    ON CONFLICT (thread_id) DO UPDATE SET version = version + 1;
  INSERT INTO thread_versions (thread_id, version) VALUES (OLD.thread_id, abs(random() / 2))
    ON CONFLICT (thread_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER posts_content_version_delete AFTER DELETE ON posts
BEGIN
  INSERT INTO thread_versions (thread_id, version) VALUES (OLD.thread_id, abs(random() / 2))
    ON CONFLICT (thread_id) DO UPDATE SET version = version + 1;
END;
