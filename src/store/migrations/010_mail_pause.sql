-- Paused mail (issue 5, point 6). Same conventions as 001.
--
-- When a mail server refuses an account's address for good (a 5xx to RCPT,
-- or later a DSN bounce), sending more would only hurt the association's
-- standing as a sender, so the account's mail pauses until the member says
-- the address works again. NULL: not paused.
ALTER TABLE accounts ADD COLUMN mail_paused_at INTEGER;
-- What the mail server said, for the member and for support.
ALTER TABLE accounts ADD COLUMN mail_pause_reason TEXT;
