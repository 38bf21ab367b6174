// Operator commands of the roundtable binary, on fresh data folders.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, run, startServer, DEMO_PASSWORD } from '../support/server.mjs';

const dirs = [];
const freshDir = () => { const d = mkdtempSync(join(tmpdir(), 'roundtable-cli-')); dirs.push(d); return d; };
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test('migrate is safe to run twice', async () => {
  const d = freshDir();
  const a = await cli(d, ['migrate']);
  assert.equal(a.code, 0, a.stderr);
  assert.match(a.stdout, /up to date/);
  assert.equal((await cli(d, ['migrate'])).code, 0);
});

test('a fresh installation is set up without demo data', async () => {
  const d = freshDir();
  const created = await cli(d, ['accounts', 'create', '--email', 'Staff@Example.org', '--name', 'Sam Staff', '--admin'], 'a long operator passphrase\n');
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stdout.trim(), 'created admin account staff@example.org');
  const dup = await cli(d, ['accounts', 'create', '--email', 'staff@example.org', '--name', 'Again'], 'a long operator passphrase\n');
  assert.notEqual(dup.code, 0);
  assert.match(dup.stderr, /already exists/);
  const weak = await cli(d, ['accounts', 'create', '--email', 'weak@example.org', '--name', 'Weak'], 'short\n');
  assert.notEqual(weak.code, 0);
  assert.match(weak.stderr, /at least 12 characters/);
  // No association and no groups yet: adding a liaison says so.
  const noGroup = await cli(d, ['groups', 'add-liaison', 'health', 'staff@example.org']);
  assert.notEqual(noGroup.code, 0);
  assert.match(noGroup.stderr, /roundtable: /);
  // seed-demo refuses to mix demo accounts with real ones.
  const seed = await cli(d, ['seed-demo']);
  assert.notEqual(seed.code, 0);
  assert.match(seed.stderr, /real accounts/);
});

test('seed-demo prints how to sign in, and add-liaison names a liaison', async () => {
  const d = freshDir();
  const seed = await cli(d, ['seed-demo']);
  assert.equal(seed.code, 0, seed.stderr);
  assert.match(seed.stdout, /9 interest groups/);
  for (const who of ['admin@', 'liaison@', 'active@', 'expired@', 'visitor@']) assert.match(seed.stdout, new RegExp(who));
  assert.match(seed.stdout, new RegExp(DEMO_PASSWORD));
  const add = await cli(d, ['groups', 'add-liaison', 'health', 'active@demo.roundtable.test']);
  assert.equal(add.code, 0, add.stderr);
  assert.equal(add.stdout.trim(), 'active@demo.roundtable.test is now a staff liaison of Health');
  const mod = await cli(d, ['groups', 'add-moderator', 'social-work', 'visitor@demo.roundtable.test']);
  assert.equal(mod.code, 0, mod.stderr);
  assert.equal(mod.stdout.trim(), 'visitor@demo.roundtable.test is now a moderator of Social Work');
  const missing = await cli(d, ['groups', 'add-liaison', 'no-such-group', 'active@demo.roundtable.test']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /could not find that group/);
});

test('members import reports counts and each rejected line, and is safe twice', async () => {
  const d = freshDir();
  assert.equal((await cli(d, ['seed-demo'])).code, 0);
  const csv = join(d, 'members.csv');
  writeFileSync(csv, 'email,member_type,paid_through\nnew@example.org,Personal,2027-01-31\nactive@demo.roundtable.test,Retired,2027-01-31\nbroken,Personal,2027-01-31\nlate@example.org,Personal,someday\n');
  const first = await cli(d, ['members', 'import', csv, '--association', 'pla']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /line 4: rejected: invalid email address 'broken'/);
  assert.match(first.stdout, /line 5: rejected: paid_through must be a date/);
  assert.match(first.stdout, /1 added, 1 updated, 0 unchanged, 2 rejected/);
  assert.match(first.stderr, /imported through line/);
  const second = await cli(d, ['members', 'import', csv, '--association', 'pla']);
  assert.match(second.stdout, /0 added, 0 updated, 2 unchanged, 2 rejected/);
  const unknown = await cli(d, ['members', 'import', csv, '--association', 'nope']);
  assert.notEqual(unknown.code, 0);
  const nofile = await cli(d, ['members', 'import', join(d, 'missing.csv')]);
  assert.notEqual(nofile.code, 0);
  assert.match(nofile.stderr, /cannot read/);
});

test('serve stops gracefully on SIGTERM', async () => {
  const srv = await startServer();
  const r = await fetch(srv.base + '/healthz');
  assert.equal(r.status, 200);
  srv.proc.kill('SIGTERM');
  const { code } = await srv.exited;
  assert.equal(code, 0);
  assert.match(srv.log(), /stopped/);
  await srv.stop();
});

test('accounts verify marks an address verified and attaches its membership', async () => {
  const srv = await startServer({ seed: true });
  try {
    const email = `verify.${Date.now()}@example.org`;
    const created = await fetch(srv.base + '/api/v1/accounts', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Val Verify', email, password: 'a long enough passphrase' }) });
    assert.equal(created.status, 201);
    const csv = join(srv.dataDir, 'members.csv');
    writeFileSync(csv, `email,member_type,paid_through\n${email},Personal,2099-12-31\n`);
    assert.equal((await cli(srv.dataDir, ['members', 'import', csv, '--association', 'pla'])).code, 0);

    const verified = await cli(srv.dataDir, ['accounts', 'verify', email.toUpperCase()]);
    assert.equal(verified.code, 0, verified.stderr);
    assert.equal(verified.stdout.trim(), `verified ${email} (1 membership attached)`);
    const again = await cli(srv.dataDir, ['accounts', 'verify', email]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /\(0 memberships attached\)/);
    const session = await fetch(srv.base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'a long enough passphrase' }) });
    const { token, account } = await session.json();
    assert.equal(account.email_verified, true);
    const join_ = await fetch(srv.base + '/api/v1/groups/data-measurement/membership', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    assert.equal(join_.status, 201);

    const unknown = await cli(srv.dataDir, ['accounts', 'verify', 'nobody@example.org']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /roundtable: cannot verify nobody@example.org: No account has the email address nobody@example.org/);
  } finally {
    await srv.stop();
  }
});

test('accounts an operator creates count as verified', async () => {
  const d = freshDir();
  const created = await cli(d, ['accounts', 'create', '--email', 'ops@example.org', '--name', 'Olive Ops'], 'a long operator passphrase\n');
  assert.equal(created.code, 0, created.stderr);
  const { stdout } = await run('sqlite3', [join(d, 'roundtable.db'), "SELECT email_verified_at IS NOT NULL FROM accounts WHERE email = 'ops@example.org'"]);
  assert.equal(stdout.trim(), '1');
});

test('housekeep deletes expired sessions and keeps live ones', async () => {
  const srv = await startServer();
  try {
    const signIn = async () => {
      const r = await fetch(srv.base + '/api/v1/session', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'active@demo.roundtable.test', password: DEMO_PASSWORD }),
      });
      assert.equal(r.status, 200);
      return (await r.json()).token;
    };
    const me = (token) => fetch(srv.base + '/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
    const stale = await signIn();
    const live = await signIn();
    const db = join(srv.dataDir, 'roundtable.db');
    const count = async () => Number((await run('sqlite3', [db, 'SELECT COUNT(*) FROM sessions'])).stdout.trim());
    const before = await count();
    // One session ran out a day ago (the server would refuse it already).
    await run('sqlite3', [db, `UPDATE sessions SET expires_at = unixepoch() - 86400
      WHERE token_hash = (SELECT token_hash FROM sessions ORDER BY created_at, rowid LIMIT 1)`]);
    const h = await cli(srv.dataDir, ['housekeep']);
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, /^deleted 1 expired session\(s\), 0 spent account token\(s\), \d+ sent outbox row\(s\), 0 idempotency key\(s\)$/m);
    assert.equal(await count(), before - 1);
    assert.equal((await me(stale)).status, 401);
    assert.equal((await me(live)).status, 200);
    const again = await cli(srv.dataDir, ['housekeep']);
    assert.match(again.stdout, /^deleted 0 expired session\(s\)/);
  } finally {
    await srv.stop();
  }
});
