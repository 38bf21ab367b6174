-- Email delivery settings (issue 5, point 3). Same conventions as 001.
--
-- CHECKs on these columns are chains of equalities, not IN (...): SQLite
-- builds an ephemeral table to evaluate IN with a list on every row it
-- writes, and group_members is written on every join.

-- What joining a group sets a member's delivery to; chosen by the
-- association per group.
ALTER TABLE interest_groups ADD COLUMN default_delivery TEXT NOT NULL DEFAULT 'daily'
  CHECK (default_delivery = 'realtime' OR default_delivery = 'daily' OR
         default_delivery = 'weekly' OR default_delivery = 'none');

-- How this member hears about new threads and replies in this group. Rows
-- that exist already (members who joined before this migration) get the
-- column default, which is also the default of every existing group.
ALTER TABLE group_members ADD COLUMN delivery TEXT NOT NULL DEFAULT 'daily'
  CHECK (delivery = 'realtime' OR delivery = 'daily' OR delivery = 'weekly' OR
         delivery = 'none');

-- Which kinds of in-app notification an account does NOT want by email.
-- Keyed by (account, kind) rather than a column per kind so that a new kind
-- needs no migration. Only a choice away from the default is stored: no row
-- means "on", so every account, old or new, starts with all kinds on.
CREATE TABLE notification_email_settings (
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind TEXT NOT NULL
    CHECK (kind = 'reply' OR kind = 'answer_accepted' OR
           kind = 'private_message' OR kind = 'mention'),
  email INTEGER NOT NULL CHECK (email = 0 OR email = 1),
  PRIMARY KEY (account_id, kind)
);

-- Delivery is not part of the group listings (005's "groups" version), so a
-- member changing it must not throw away every process's listing copies:
-- bump only when a column the listings read changes.
DROP TRIGGER group_members_version_update;
CREATE TRIGGER group_members_version_update
AFTER UPDATE OF group_id, account_id, role, joined_at ON group_members
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'groups';
END;
