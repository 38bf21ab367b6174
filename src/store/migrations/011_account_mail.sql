-- Account mail (issue 5, point 2): verified addresses and the tokens that
-- email links carry. Same conventions as 001.

-- When the account's current address was shown to belong to its owner
-- (a link in a mail to it was used, or an operator vouched for it); NULL
-- while unverified. Association memberships attach only to verified
-- addresses. Every account that exists before this migration was already
-- trusted with its memberships, so it counts as verified from its creation:
-- nobody loses access on upgrade.
ALTER TABLE accounts ADD COLUMN email_verified_at INTEGER;
UPDATE accounts SET email_verified_at = created_at;

-- Single-use tokens for links in account mail. Only a hash of the token is
-- kept (crypto::HashToken), so a leaked database opens no link. A token is
-- scoped to one purpose and bound to the address it was sent to: a
-- verification link proves that address, not whatever the account's
-- address is by the time it is opened.
CREATE TABLE account_tokens (
  token_hash TEXT PRIMARY KEY,
  purpose TEXT NOT NULL
    CHECK (purpose = 'verify' OR purpose = 'reset' OR purpose = 'email_change'),
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
-- Ending an account's other links of one purpose once one is used.
CREATE INDEX account_tokens_account ON account_tokens (account_id, purpose);
-- The per-address limit counts recent tokens sent to an address.
CREATE INDEX account_tokens_email ON account_tokens (email, purpose, created_at);
