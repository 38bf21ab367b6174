-- A version for members' delivery choices (group_members.delivery), which
-- every group page shows its members. 008 left delivery out of the "groups"
-- version so that a member changing it keeps every listing copy; this row
-- covers it alone. Joining and leaving bump "groups" (005), so a copy is
-- filed under both. Same conventions as 005.
INSERT INTO cache_versions (name, version) VALUES ('delivery', abs(random() / 2));

CREATE TRIGGER group_members_delivery_version_update
AFTER UPDATE OF delivery ON group_members
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'delivery';
END;
