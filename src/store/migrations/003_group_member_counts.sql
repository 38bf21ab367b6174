-- Member counts for the groups page. Counting group_members for every group
-- on every page view cost ~70M instructions on a 200-group association, so
-- the count is kept on the group by triggers: it changes in the same
-- transaction as the membership row, whichever code path writes it.
ALTER TABLE interest_groups ADD COLUMN member_count INTEGER NOT NULL DEFAULT 0;

UPDATE interest_groups
SET member_count = (SELECT COUNT(*) FROM group_members m WHERE m.group_id = interest_groups.id);

CREATE TRIGGER group_members_count_insert AFTER INSERT ON group_members
BEGIN
  UPDATE interest_groups SET member_count = member_count + 1 WHERE id = NEW.group_id;
END;

CREATE TRIGGER group_members_count_delete AFTER DELETE ON group_members
BEGIN
  UPDATE interest_groups SET member_count = member_count - 1 WHERE id = OLD.group_id;
END;

-- Finds a group's liaison without reading every membership of the group.
CREATE INDEX group_members_role ON group_members (group_id, role, account_id);
