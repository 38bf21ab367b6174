-- Outcome check-ins (issue 7, points 1 and 2). Same conventions as 001:
-- times are unix seconds, enums are CHECKed text.

-- How many check-ins a figure must rest on before staff see it (never
-- below 3; see app/outcomes.h for how it is applied).
ALTER TABLE associations ADD COLUMN outcome_threshold INTEGER NOT NULL DEFAULT 5
  CHECK (outcome_threshold >= 3);

-- The association's outcome statements, asked on a 5-point scale. `id` is
-- stable (answers name it); a retired statement (active = 0) is no longer
-- asked, and old answers keep the text they were given with.
CREATE TABLE outcome_statements (
  association_id INTEGER NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  text TEXT NOT NULL,
  position INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active = 0 OR active = 1),
  PRIMARY KEY (association_id, id)
);

-- Every association starts with the eight promises the groups make (the
-- same as domain/outcomes/checkins.cc DefaultOutcomeStatements): those that
-- exist now, and, through the trigger, every one created later.
INSERT INTO outcome_statements (association_id, id, text, position)
  SELECT a.id, d.id, d.text, d.position FROM associations a,
  (SELECT 'network' AS id, 'I have grown my professional network.' AS text, 1 AS position
   UNION ALL SELECT 'skills', 'I have built professional skills.', 2
   UNION ALL SELECT 'knowledge', 'I know more about this group''s topic.', 3
   UNION ALL SELECT 'confidence', 'I feel more confident about this group''s topic.', 4
   UNION ALL SELECT 'resources', 'I am more aware of resources on this topic.', 5
   UNION ALL SELECT 'apply', 'I have applied what I learned in my library.', 6
   UNION ALL SELECT 'share', 'I have shared what I learned with colleagues.', 7
   UNION ALL SELECT 'engage', 'I take part in the association more than before.', 8) d;

CREATE TRIGGER associations_outcome_statements AFTER INSERT ON associations
BEGIN
  INSERT INTO outcome_statements (association_id, id, text, position) VALUES
    (NEW.id, 'network', 'I have grown my professional network.', 1),
    (NEW.id, 'skills', 'I have built professional skills.', 2),
    (NEW.id, 'knowledge', 'I know more about this group''s topic.', 3),
    (NEW.id, 'confidence', 'I feel more confident about this group''s topic.', 4),
    (NEW.id, 'resources', 'I am more aware of resources on this topic.', 5),
    (NEW.id, 'apply', 'I have applied what I learned in my library.', 6),
    (NEW.id, 'share', 'I have shared what I learned with colleagues.', 7),
    (NEW.id, 'engage', 'I take part in the association more than before.', 8);
END;

-- One moment of one member in one group: answered, skipped ("Not now") or
-- deleted by the member (the answers go; the row stays so that the moment
-- is not offered again). UNIQUE: at most one per moment. AUTOINCREMENT:
-- an id names one check-in forever.
CREATE TABLE checkins (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  group_id INTEGER NOT NULL REFERENCES interest_groups (id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  moment TEXT NOT NULL CHECK (moment = 'immediate' OR moment = 'follow_up'),
  state TEXT NOT NULL CHECK (state = 'answered' OR state = 'skipped' OR state = 'deleted'),
  quote_consent INTEGER NOT NULL DEFAULT 0 CHECK (quote_consent = 0 OR quote_consent = 1),
  created_at INTEGER NOT NULL,
  UNIQUE (group_id, account_id, moment)
);
-- A member's own check-ins, newest first.
CREATE INDEX checkins_account ON checkins (account_id, id DESC);
-- The aggregate reads a group's answered check-ins by moment and time.
CREATE INDEX checkins_answered ON checkins (group_id, moment, created_at)
  WHERE state = 'answered';

-- The answers of a check-in, with each question's text and place as it was
-- asked.
-- Scale items have `value` 1..5, open questions `text`.
CREATE TABLE checkin_answers (
  checkin_id INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
  question_id TEXT NOT NULL,
  question TEXT NOT NULL,
  position INTEGER NOT NULL,  -- the order they were asked in
  value INTEGER CHECK (value IS NULL OR (value >= 1 AND value <= 5)),
  text TEXT,
  PRIMARY KEY (checkin_id, question_id)
);

-- Check-ins offered by email: one row per member, group and moment, written
-- with the mail's outbox row, so that no offer is ever mailed twice (outbox
-- rows are purged after 30 days; these are not).
CREATE TABLE checkin_offers (
  group_id INTEGER NOT NULL REFERENCES interest_groups (id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  moment TEXT NOT NULL CHECK (moment = 'immediate' OR moment = 'follow_up'),
  offered_at INTEGER NOT NULL,
  mailed INTEGER NOT NULL CHECK (mailed = 0 OR mailed = 1),
  PRIMARY KEY (group_id, account_id, moment)
);

-- Threads with an accepted answer, for "has this member had an answer
-- accepted here?" without reading every thread of the group.
CREATE INDEX threads_accepted ON threads (group_id, author_id)
  WHERE accepted_post_id IS NOT NULL;

-- The email switch for check-in offers (017 rebuilt it for 'feedback' the
-- same way; SQLite cannot alter a CHECK). Nothing points at it.
CREATE TABLE notification_email_settings_new (
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind TEXT NOT NULL
    CHECK (kind = 'reply' OR kind = 'answer_accepted' OR
           kind = 'private_message' OR kind = 'mention' OR kind = 'feedback' OR
           kind = 'checkin'),
  email INTEGER NOT NULL CHECK (email = 0 OR email = 1),
  PRIMARY KEY (account_id, kind)
);
INSERT INTO notification_email_settings_new (account_id, kind, email)
  SELECT account_id, kind, email FROM notification_email_settings;
DROP TABLE notification_email_settings;
ALTER TABLE notification_email_settings_new RENAME TO notification_email_settings;
