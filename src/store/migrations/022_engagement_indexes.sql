-- Indexes for the engagement figures (issue 7; store/sqlite/sqlite_engagement.cc),
-- found with EXPLAIN QUERY PLAN and timed on the benchmark data set (1M posts;
-- the busiest group has 134k posts, 8,400 replies in a year).

-- Replies, active people and the time to a first reply read the posts of a
-- group's threads written in the period. Through posts_thread each post's
-- whole row (with its body) was read to test created_at; this index answers
-- them alone: the period is a range within each thread, and author and
-- deleted are in it. (The busiest group over 12 months, sqlite3 shell on a
-- shared 2-core machine: the three queries took 2.5 s of wall time and
-- 0.48 s of CPU before, 0.6 s and 0.22 s with these indexes.)
CREATE INDEX posts_thread_time ON posts (thread_id, created_at, author_id, deleted);

-- Recommendations made in the period, per post, without reading each row.
CREATE INDEX recommendations_post_time
  ON recommendations (post_id, created_at, account_id);

-- Threads started in the period, per group.
CREATE INDEX threads_group_created ON threads (group_id, created_at);

-- Invitations of a group sent in the period (there was no index by group).
CREATE INDEX invitations_group_created ON invitations (group_id, created_at);
