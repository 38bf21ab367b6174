-- Versions of rarely written data that every request reads, so a process
-- can keep a copy and check it with one indexed read instead of re-reading
-- it (store/sqlite/sqlite_cache.h). Same conventions as 001.
--
-- Triggers bump a version in the same transaction as any write to what it
-- covers, whichever process or code path writes. Versions start at a random
-- value so a copy kept for one database file is never taken for another file
-- created later at the same path.
CREATE TABLE cache_versions (
  name TEXT PRIMARY KEY,
  version INTEGER NOT NULL
);

-- "groups": associations, interest_groups (member counts included) and
-- group_members roles, plus the accounts of liaisons (the groups page shows
-- them).
INSERT INTO cache_versions (name, version) VALUES ('groups', abs(random() / 2));

CREATE TRIGGER associations_version_insert AFTER INSERT ON associations
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'groups';
END;

CREATE TRIGGER associations_version_update AFTER UPDATE ON associations
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'groups';
END;

CREATE TRIGGER associations_version_delete AFTER DELETE ON associations
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'groups';
END;

CREATE TRIGGER interest_groups_version_insert AFTER INSERT ON interest_groups
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'groups';
END;

CREATE TRIGGER interest_groups_version_update AFTER UPDATE ON interest_groups
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'groups';
END;

CREATE TRIGGER interest_groups_version_delete AFTER DELETE ON interest_groups
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'groups';
END;

-- Inserts and deletes also reach interest_groups through the member_count
-- triggers of 003; bumping here too keeps this list complete on its own.
CREATE TRIGGER group_members_version_insert AFTER INSERT ON group_members
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'groups';
END;

CREATE TRIGGER group_members_version_update AFTER UPDATE ON group_members
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'groups';
END;

CREATE TRIGGER group_members_version_delete AFTER DELETE ON group_members
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'groups';
END;

-- Only liaisons' accounts are shown with groups; other profile edits leave
-- the version alone. (Deleting an account deletes its group_members rows,
-- which bumps the version above.)
CREATE TRIGGER accounts_version_update AFTER UPDATE ON accounts
WHEN EXISTS (SELECT 1 FROM group_members
             WHERE account_id = NEW.id AND role = 'liaison')
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'groups';
END;
