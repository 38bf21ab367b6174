-- Initial schema. Kept to SQL that PostgreSQL also accepts where that is easy
-- (INTEGER ids, unix-second times, ISO date text), so both engines share it.
-- The runner wraps each file in its transaction: no BEGIN/COMMIT here.

CREATE TABLE associations (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  short_name TEXT NOT NULL DEFAULT '',
  join_url TEXT NOT NULL DEFAULT '',
  grace_days INTEGER NOT NULL DEFAULT 0 CHECK (grace_days >= 0)
);

CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,  -- lower-cased name, the member-list sort key
  password_hash TEXT NOT NULL,
  job_title TEXT NOT NULL DEFAULT '',
  organisation TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
  is_demo INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX accounts_name_key ON accounts (name_key, id);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE memberships (
  id INTEGER PRIMARY KEY,
  association_id INTEGER NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  member_type TEXT NOT NULL,
  paid_through TEXT NOT NULL,  -- YYYY-MM-DD
  source TEXT NOT NULL CHECK (source IN ('import', 'admin')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (association_id, email)
);
CREATE INDEX memberships_account ON memberships (account_id);
-- AttachToAccount looks rows up by email across associations.
CREATE INDEX memberships_email ON memberships (email);

-- Not "groups": that is a reserved word in some dialects.
CREATE TABLE interest_groups (
  id INTEGER PRIMARY KEY,
  association_id INTEGER NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
  slug TEXT NOT NULL,
  name TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  join_policy TEXT NOT NULL
    CHECK (join_policy IN ('members_only', 'open', 'request', 'invite')),
  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'members')),
  listed INTEGER NOT NULL DEFAULT 1 CHECK (listed IN (0, 1)),
  position INTEGER NOT NULL DEFAULT 0,
  UNIQUE (association_id, slug)
);

CREATE TABLE group_members (
  group_id INTEGER NOT NULL REFERENCES interest_groups (id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('member', 'moderator', 'liaison')),
  joined_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, account_id)
);
CREATE INDEX group_members_account ON group_members (account_id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
