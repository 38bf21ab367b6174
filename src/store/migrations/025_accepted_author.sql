-- Who wrote a thread's accepted answer, kept beside accepted_post_id, so that
-- "has this member had an answer accepted in this group?" (the outcome
-- check-in's immediate moment, asked on every group page a member opens) is
-- one index probe instead of a walk over every answered thread of the group
-- (30M instructions a page in the busiest group of the benchmark data).
-- A trigger keeps it right whichever code path or process accepts, changes
-- or withdraws an answer; a post's author never changes.
ALTER TABLE threads ADD COLUMN accepted_author_id INTEGER REFERENCES accounts (id);

UPDATE threads SET accepted_author_id =
  (SELECT p.author_id FROM posts p WHERE p.id = threads.accepted_post_id)
WHERE accepted_post_id IS NOT NULL;

CREATE TRIGGER threads_accepted_author AFTER UPDATE OF accepted_post_id ON threads
BEGIN
  UPDATE threads SET accepted_author_id =
    (SELECT p.author_id FROM posts p WHERE p.id = NEW.accepted_post_id)
  WHERE id = NEW.id;
END;

CREATE INDEX threads_accepted_author ON threads (group_id, accepted_author_id)
  WHERE accepted_author_id IS NOT NULL;
