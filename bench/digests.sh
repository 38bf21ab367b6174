#!/usr/bin/env bash
# Times `roundtable digests send` for MEMBERS members (default 10,000) with
# daily delivery, each in 3 of the demo association's 9 groups, with THREADS
# threads of 4 posts each in the last day. Test-only data in a scratch folder
# (bench/data is not touched). Usage: bench/digests.sh [build/roundtable]
set -euo pipefail
BIN=${1:-build/roundtable}
MEMBERS=${MEMBERS:-10000}
THREADS=${THREADS:-300}
DIR=$(mktemp -d /tmp/roundtable-digests-bench.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
"$BIN" seed-demo --no-discussions --data "$DIR" >/dev/null
NOW=$(date -u +%s)
sqlite3 "$DIR/roundtable.db" <<SQL
PRAGMA foreign_keys = ON;
BEGIN;
UPDATE associations SET digest_hour = 0, time_zone = 'UTC';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $MEMBERS)
INSERT INTO accounts (email, name, name_key, password_hash, created_at, updated_at)
  SELECT 'member' || i || '@bench.test', 'Member ' || i, 'member ' || i, 'x', $NOW, $NOW FROM n;
INSERT INTO memberships (association_id, email, account_id, member_type, paid_through, source,
                         created_at, updated_at)
  SELECT 1, email, id, 'Personal', '2099-12-31', 'import', $NOW, $NOW FROM accounts
  WHERE email LIKE '%@bench.test';
INSERT INTO group_members (group_id, account_id, role, joined_at, delivery)
  SELECT g.id, a.id, 'member', $NOW, 'daily' FROM accounts a JOIN interest_groups g
  ON (a.id + g.id) % 3 = 0 WHERE a.email LIKE '%@bench.test';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $THREADS)
INSERT INTO threads (group_id, author_id, kind, title, created_at, last_activity_at)
  SELECT g.id, (SELECT min(id) FROM accounts WHERE email LIKE '%@bench.test') + i * 7,
         CASE WHEN i % 4 = 0 THEN 'question' ELSE 'discussion' END,
         'Bench thread ' || i, $NOW - 3600, $NOW - 600
  FROM n JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS r FROM interest_groups) g
    ON g.r = n.i % 9;
INSERT INTO posts (thread_id, author_id, body_source, body_html, via, created_at)
  SELECT t.id, t.author_id + k.k,
         'A reply of a few sentences about counting visits, as members write them. ' || k.k,
         '<p>A reply.</p>', 'web', $NOW - 3600 + k.k * 60
  FROM threads t, (SELECT 0 AS k UNION SELECT 1 UNION SELECT 2 UNION SELECT 3) k
  WHERE t.title LIKE 'Bench thread %';
UPDATE threads SET first_post_id = (SELECT min(id) FROM posts WHERE thread_id = threads.id),
  reply_count = 3 WHERE title LIKE 'Bench thread %';
COMMIT;
SQL
cp "$DIR/roundtable.db" "$DIR/fresh.db"
echo "members with daily delivery: $(sqlite3 "$DIR/roundtable.db" "SELECT count(DISTINCT account_id) FROM group_members WHERE delivery = 'daily'")"
for run in "--dry-run" ""; do
  cp "$DIR/fresh.db" "$DIR/roundtable.db"
  rm -f "$DIR/roundtable.db-wal" "$DIR/roundtable.db-shm"
  start=$(date +%s.%N)
  out=$("$BIN" digests send --period daily --data "$DIR" --base-url https://groups.example.org $run 2>/dev/null)
  end=$(date +%s.%N)
  printf 'digests send %-9s %6.2f s  %s\n' "${run:-(queue)}" "$(echo "$end - $start" | bc)" "$out"
done
