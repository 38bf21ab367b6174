-- Versions for two more things every signed-in request reads (see 005 and
-- store/sqlite/sqlite_cache.h): who a session token belongs to, and the
-- association membership that decides a member's standing. Same conventions
-- as 005: triggers bump the version in the same transaction as the write,
-- whichever process writes; versions start at a random value.

-- "sessions": the sessions table and every column of accounts (a session
-- carries its account: name, email, verification, admin flag, mail pause).
-- A sign-in or sign-out anywhere drops every copy; both are rare next to
-- page views.
INSERT INTO cache_versions (name, version) VALUES ('sessions', abs(random() / 2));

CREATE TRIGGER sessions_version_insert AFTER INSERT ON sessions
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'sessions';
END;

CREATE TRIGGER sessions_version_update AFTER UPDATE ON sessions
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'sessions';
END;

CREATE TRIGGER sessions_version_delete AFTER DELETE ON sessions
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'sessions';
END;

CREATE TRIGGER accounts_sessions_version_update AFTER UPDATE ON accounts
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'sessions';
END;

CREATE TRIGGER accounts_sessions_version_delete AFTER DELETE ON accounts
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'sessions';
END;

-- "memberships": the association membership rows (imports, renewals, an
-- account attached to its row).
INSERT INTO cache_versions (name, version) VALUES ('memberships', abs(random() / 2));

CREATE TRIGGER memberships_version_insert AFTER INSERT ON memberships
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'memberships';
END;

CREATE TRIGGER memberships_version_update AFTER UPDATE ON memberships
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'memberships';
END;

CREATE TRIGGER memberships_version_delete AFTER DELETE ON memberships
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'memberships';
END;
