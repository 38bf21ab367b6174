-- Incoming mail handled by `roundtable mail ingest` (issue 5). Same
-- conventions as 001.

-- One row per message acted on: an MTA may deliver a message twice (a
-- retry after a crash, the same mail sent to two of our addresses), and it
-- must be posted once. The rows also count the automatic answers sent to
-- each address, which is how refusal replies are rate-limited so that two
-- robots cannot answer each other for ever. Rows older than the MTA's retry
-- window are pruned by the ingest itself.
CREATE TABLE inbound_messages (
  id INTEGER PRIMARY KEY,
  -- The From address (lower-case) and the Message-ID, or a hash of the
  -- message's bytes when it has no Message-ID; see MailIngestService.
  dedupe_key TEXT NOT NULL UNIQUE,
  message_id TEXT NOT NULL,
  sender TEXT NOT NULL,
  recipient TEXT NOT NULL,
  outcome TEXT NOT NULL
    CHECK (outcome = 'posted' OR outcome = 'dropped' OR outcome = 'bounce'
           OR outcome = 'refused'),
  reason TEXT NOT NULL,
  post_id INTEGER REFERENCES posts (id) ON DELETE SET NULL,
  -- Where our automatic answer (a refusal, or a note that attachments were
  -- not kept) went, and whether that address has an account; NULL: none.
  answered_to TEXT,
  answered_account INTEGER CHECK (answered_account IN (0, 1)),
  received_at INTEGER NOT NULL
);
-- Answers per address in a time window (the rate limit), and answers to
-- addresses without an account (the overall cap against backscatter).
CREATE INDEX inbound_messages_answered ON inbound_messages (answered_to, received_at)
  WHERE answered_to IS NOT NULL;
CREATE INDEX inbound_messages_strangers ON inbound_messages (received_at)
  WHERE answered_to IS NOT NULL AND answered_account = 0;
CREATE INDEX inbound_messages_received ON inbound_messages (received_at);
