-- Indexes for reads that run on (nearly) every request. Each one was found
-- with EXPLAIN QUERY PLAN on the benchmark data set (50k accounts, 1M posts).

-- FindForAccount (every signed-in request that acts in a group) wants one
-- row: equality on account and association, then its own order. With only
-- memberships_account SQLite sorted the account's rows in a temp B-tree.
CREATE INDEX memberships_standing
  ON memberships (account_id, association_id, paid_through DESC, id);

-- UnreadCount (the badge on every signed-in page) counts entries of this
-- index instead of reading every notification row of the account to test
-- `read` (50x fewer instructions for an account with 5k notifications).
-- `read` is always 0 here, but SQLite only treats the index as covering when
-- the column is in it. MarkRead's `read = 0` finds its rows here too.
CREATE INDEX notifications_unread
  ON notifications (account_id, read) WHERE read = 0;

-- ListWithStats reads the groups in list order instead of sorting them.
CREATE INDEX interest_groups_list
  ON interest_groups (association_id, position, name, id);
