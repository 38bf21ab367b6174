-- Invitations (issue 6, point 5): a member invites colleagues by email.
-- Same conventions as 001 (times are Unix seconds).

-- Only the hash of the link's token is kept (crypto::HashToken), as with
-- account_tokens (011): a leaked database opens no invitation. The link
-- works for `email` alone, once (accepted_at), until expires_at.
CREATE TABLE invitations (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  group_id INTEGER NOT NULL REFERENCES interest_groups (id) ON DELETE CASCADE,
  inviter_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  opened_at INTEGER,
  accepted_at INTEGER,
  accepted_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL
);
-- The inviter's list (newest first) and the daily cap.
CREATE INDEX invitations_inviter ON invitations (inviter_id, id);
-- Pending invitations of an address (per group, and on sign-in).
CREATE INDEX invitations_email ON invitations (email, group_id);

-- Which invitation a membership came from, so that "joined through
-- invitations" is counted from data. NULL for everyone who joined alone.
ALTER TABLE group_members ADD COLUMN joined_via_invitation INTEGER
  REFERENCES invitations (id) ON DELETE SET NULL;
