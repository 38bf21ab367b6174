-- Resources: each group's library of files and links (issue 6). Same
-- conventions as 001: INTEGER ids, unix-second times, 0/1 booleans.
--
-- A file's bytes live outside the database, under the data folder, named by
-- their SHA-256 (file_sha256): the file is written and renamed into place
-- before its row commits, so a row never points at a missing file, and
-- files no row names are reclaimed (`roundtable resources gc`).
CREATE TABLE resources (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL REFERENCES interest_groups (id) ON DELETE CASCADE,
  -- Shared content blocks deleting its author, as posts do.
  shared_by INTEGER NOT NULL REFERENCES accounts (id),
  kind TEXT NOT NULL CHECK (kind IN ('file', 'link')),
  title TEXT NOT NULL,
  description_source TEXT NOT NULL,
  description_html TEXT NOT NULL,
  license TEXT NOT NULL CHECK (license IN ('all-rights-reserved', 'cc-by', 'cc-by-sa',
    'cc-by-nc', 'cc-by-nc-sa', 'cc-by-nd', 'cc-by-nc-nd', 'cc0')),
  url TEXT,
  file_sha256 TEXT,
  file_name TEXT,
  file_type TEXT,
  file_size INTEGER,
  image_width INTEGER,
  image_height INTEGER,
  -- Its discussion, started by the first person who comments.
  thread_id INTEGER REFERENCES threads (id) ON DELETE SET NULL,
  recommend_count INTEGER NOT NULL DEFAULT 0 CHECK (recommend_count >= 0),
  last_checked_at INTEGER NOT NULL,
  checked_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  CHECK ((kind = 'link' AND url IS NOT NULL AND file_sha256 IS NULL) OR
         (kind = 'file' AND url IS NULL AND file_sha256 IS NOT NULL AND file_name IS NOT NULL
          AND file_type IS NOT NULL AND file_size IS NOT NULL))
);
-- The library, newest first (ids grow with time), is a keyset scan.
CREATE INDEX resources_group ON resources (group_id, id DESC);
-- A member's quota sums their files; gc looks files up by hash.
CREATE INDEX resources_sharer ON resources (shared_by) WHERE kind = 'file';
CREATE INDEX resources_file ON resources (file_sha256) WHERE file_sha256 IS NOT NULL;

-- Subject tags, normalised by the domain (lower-case, hyphens). group_id is
-- repeated so that browsing one tag of one group is one index range.
CREATE TABLE resource_tags (
  resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
  group_id INTEGER NOT NULL REFERENCES interest_groups (id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (resource_id, tag)
);
CREATE INDEX resource_tags_browse ON resource_tags (group_id, tag, resource_id DESC);

CREATE TABLE resource_recommendations (
  resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (resource_id, account_id)
);
