-- Digests (issue 5, point 4). Same conventions as 001.

-- When digests go out: at digest_hour in each member's time zone, every
-- day for daily digests and on digest_weekday (0 Sunday .. 6 Saturday) for
-- weekly ones. time_zone is the IANA name used for accounts that chose none.
ALTER TABLE associations ADD COLUMN digest_hour INTEGER NOT NULL DEFAULT 7
  CHECK (digest_hour >= 0 AND digest_hour <= 23);
ALTER TABLE associations ADD COLUMN digest_weekday INTEGER NOT NULL DEFAULT 1
  CHECK (digest_weekday >= 0 AND digest_weekday <= 6);
ALTER TABLE associations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'America/Chicago';

-- The account's IANA time zone; NULL: the association's.
ALTER TABLE accounts ADD COLUMN time_zone TEXT;

-- The last digest of each period built for each account: the local date it
-- was for (a person gets at most one per period per local date) and the end
-- of the window it covered (the next one starts there). Written in the same
-- transaction as the digest's mail, also when there was nothing new, so that
-- the window moves on. One row per account and period, not one per digest:
-- the table stays the size of the membership.
CREATE TABLE digest_state (
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  period TEXT NOT NULL CHECK (period = 'daily' OR period = 'weekly'),
  local_date TEXT NOT NULL,  -- YYYY-MM-DD in the account's zone
  window_end INTEGER NOT NULL,
  posts INTEGER NOT NULL,    -- how many posts it listed; 0: nothing new, not sent
  PRIMARY KEY (account_id, period)
);
