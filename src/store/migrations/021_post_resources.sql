-- Resources attached to discussion posts (issue 6): a post attaches a few
-- resources of its group's library, and a resource's page lists the
-- discussions that attach it. Same conventions as 001.
--
-- Additive: one table, its indexes and the triggers that keep thread
-- versions (007) right.
CREATE TABLE post_resources (
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
  -- The post's thread, repeated so that one index range holds a thread's
  -- attachments: a thread page reads them for all its posts in one query,
  -- and for a thread without any that query is a single empty probe.
  thread_id INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,  -- the order the poster chose
  PRIMARY KEY (post_id, resource_id)
);
CREATE INDEX post_resources_thread ON post_resources (thread_id, post_id, position);
-- "Discussed in" on the resource's page.
CREATE INDEX post_resources_resource ON post_resources (resource_id, post_id);

-- What a thread page shows changes with its attachments: removing a
-- resource from the library (which cascades here) takes it off the posts.
CREATE TRIGGER post_resources_version_insert AFTER INSERT ON post_resources
BEGIN
  INSERT INTO thread_versions (thread_id, version) VALUES (NEW.thread_id, abs(random() / 2))
    ON CONFLICT (thread_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER post_resources_version_delete AFTER DELETE ON post_resources
BEGIN
  INSERT INTO thread_versions (thread_id, version) VALUES (OLD.thread_id, abs(random() / 2))
    ON CONFLICT (thread_id) DO UPDATE SET version = version + 1;
END;
