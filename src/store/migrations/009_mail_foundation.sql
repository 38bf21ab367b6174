-- Foundation of outgoing mail (issue 5). Same conventions as 001.

-- Keys the server derives tokens from (reply addresses, unsubscribe links):
-- such tokens are HMACs of what they name, so they need no row per mail and
-- stay the same in every message to one person about one thread, which is
-- what mail clients expect of a Reply-To. 32 random bytes each, made here
-- once per database; rotating one invalidates every token made with it.
CREATE TABLE app_secrets (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL CHECK (length(value) >= 32)
);
INSERT INTO app_secrets (name, value) VALUES ('mail_tokens', randomblob(32));
