// The JSON API against the real server on a loopback port.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, cli, DEMO_PASSWORD } from '../support/server.mjs';

let srv;
before(async () => { srv = await startServer({ args: ['--login-lockout', '1'] }); });
after(async () => { await srv?.stop(); });

const api = (path, { method = 'GET', body, token, headers = {}, raw } = {}) => {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload = raw;
  if (body !== undefined) { h['content-type'] = h['content-type'] || 'application/json'; payload = JSON.stringify(body); }
  return fetch(srv.base + path, { method, headers: h, body: payload, redirect: 'manual' });
};
const json = async (r) => JSON.parse(await r.text());
const signIn = async (email, password = DEMO_PASSWORD) => {
  const r = await api('/api/v1/session', { method: 'POST', body: { email, password } });
  assert.equal(r.status, 200, `sign in as ${email}`);
  return json(r);
};
let counter = 0;
const fresh = () => `person${++counter}.${Date.now()}@example.org`;

describe('health and headers', () => {
  test('healthz and readyz answer', async () => {
    assert.deepEqual(await json(await api('/healthz')), { status: 'ok' });
    assert.deepEqual(await json(await api('/readyz')), { status: 'ready' });
  });

  test('every response carries the security headers', async () => {
    for (const path of ['/', '/healthz', '/api/v1/groups', '/no-such-page', '/static/site.css']) {
      const r = await api(path);
      const csp = r.headers.get('content-security-policy');
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.match(csp, /script-src 'self'/, path);
      assert.doesNotMatch(csp, /unsafe-inline/, path);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
      assert.ok(r.headers.get('referrer-policy'), path);
    }
  });

  test('unknown API paths are JSON 404s', async () => {
    const r = await api('/api/v1/nothing-here');
    assert.equal(r.status, 404);
    assert.equal((await json(r)).error.code, 'not_found');
  });
});

describe('accounts', () => {
  test('register, sign in, me, sign out', async () => {
    const email = fresh();
    const r = await api('/api/v1/accounts', { method: 'POST', body: { name: 'Dana Doe', email, password: 'a long enough passphrase' } });
    assert.equal(r.status, 201);
    const { account } = await json(r);
    assert.equal(account.email, email);
    assert.equal(account.name, 'Dana Doe');
    assert.equal(account.password, undefined);

    const s = await api('/api/v1/session', { method: 'POST', body: { email: email.toUpperCase(), password: 'a long enough passphrase' } });
    assert.equal(s.status, 200);
    const cookie = s.headers.get('set-cookie');
    assert.match(cookie, /rt_session=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/);  // base URL is http
    const { token } = await json(s);
    assert.ok(token.length >= 40);

    const me = await api('/api/v1/me', { token });
    assert.equal(me.status, 200);
    assert.equal((await json(me)).account.email, email);

    assert.equal((await api('/api/v1/session', { method: 'DELETE', token })).status, 204);
    const after = await api('/api/v1/me', { token });
    assert.equal(after.status, 401);
    assert.equal((await json(after)).error.code, 'invalid_token');
    assert.equal((await api('/api/v1/me')).status, 401);
  });

  test('any Unicode password of 12 to 256 characters', async () => {
    const email = fresh();
    const pw = 'пароль-日本語-😀😀';
    assert.equal((await api('/api/v1/accounts', { method: 'POST', body: { name: 'Uni', email, password: pw } })).status, 201);
    await signIn(email, pw);
    const tooLong = await api('/api/v1/accounts', { method: 'POST', body: { name: 'L', email: fresh(), password: 'x'.repeat(257) } });
    assert.equal(tooLong.status, 400);
    assert.equal((await json(tooLong)).error.code, 'password_too_long');
  });

  test('duplicate email is 409', async () => {
    const email = fresh();
    const body = { name: 'Dup', email, password: 'a long enough passphrase' };
    assert.equal((await api('/api/v1/accounts', { method: 'POST', body })).status, 201);
    const r = await api('/api/v1/accounts', { method: 'POST', body: { ...body, email: email.toUpperCase() } });
    assert.equal(r.status, 409);
    assert.equal((await json(r)).error.code, 'email_taken');
  });

  test('bad input is refused with a clear error and changes nothing', async () => {
    const email = fresh();
    const cases = [
      [{ raw: '{"name": "x", ', headers: { 'content-type': 'application/json' } }, 400, 'malformed_json'],
      [{ raw: JSON.stringify({ name: 'x', email, password: 'a long enough passphrase' }), headers: { 'content-type': 'text/plain' } }, 415, 'unsupported_media_type'],
      [{ raw: Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: { 'content-type': 'application/json' } }, 400, 'malformed_json'],
      [{ body: { name: 'Nul\u0000Byte', email, password: 'a long enough passphrase' } }, 400, 'invalid_characters'],
      [{ body: { name: 'x'.repeat(101), email, password: 'a long enough passphrase' } }, 400, 'too_long'],
      [{ body: { name: 'Ok', email: 'a'.repeat(300) + '@example.org', password: 'a long enough passphrase' } }, 400, 'too_long'],
      [{ body: { name: 'Ok', email, password: 12345678901234 } }, 400, 'invalid_field'],
      [{ body: [1, 2, 3] }, 400, 'expected_object'],
      [{ body: { name: 'Ok', email, password: 'short' } }, 400, 'password_too_short'],
    ];
    for (const [opts, status, code] of cases) {
      const r = await api('/api/v1/accounts', { method: 'POST', ...opts });
      const b = await json(r);
      assert.equal(r.status, status, JSON.stringify(b));
      assert.equal(b.error.code, code);
      assert.ok(b.error.message.length > 0);
    }
    const big = await api('/api/v1/accounts', { method: 'POST', raw: JSON.stringify({ name: 'x'.repeat(2_000_000) }), headers: { 'content-type': 'application/json' } });
    assert.equal(big.status, 413);
    // Nothing was created for that email.
    const s = await api('/api/v1/session', { method: 'POST', body: { email, password: 'a long enough passphrase' } });
    assert.equal(s.status, 401);
  });

  test('field errors name the field', async () => {
    const r = await api('/api/v1/accounts', { method: 'POST', body: { name: '', email: fresh(), password: 'a long enough passphrase' } });
    assert.equal(r.status, 400);
    assert.match((await json(r)).error.message, /name/i);
  });

  test('sign-in errors do not reveal whether an email exists', async () => {
    const known = await api('/api/v1/session', { method: 'POST', body: { email: 'active@demo.roundtable.test', password: 'wrong password here' } });
    const unknown = await api('/api/v1/session', { method: 'POST', body: { email: 'nobody-at-all@example.org', password: 'wrong password here' } });
    assert.equal(known.status, 401);
    assert.equal(unknown.status, 401);
    assert.deepEqual(await json(known), await json(unknown));
  });

  test('failed sign-ins are throttled and the owner gets in after the delay', async () => {
    const email = fresh();
    await api('/api/v1/accounts', { method: 'POST', body: { name: 'Rate', email, password: 'the right passphrase' } });
    for (let i = 0; i < 5; i++) {
      const r = await api('/api/v1/session', { method: 'POST', body: { email, password: 'wrong passphrase ' + i } });
      assert.equal(r.status, 401);
    }
    const limited = await api('/api/v1/session', { method: 'POST', body: { email, password: 'the right passphrase' } });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal((await json(limited)).error.code, 'too_many_attempts');
    await new Promise((r) => setTimeout(r, 1100 * Number(limited.headers.get('retry-after'))));
    const ok = await api('/api/v1/session', { method: 'POST', body: { email, password: 'the right passphrase' } });
    assert.equal(ok.status, 200);
  });

  test('changing the password ends every other session', async () => {
    const email = fresh();
    await api('/api/v1/accounts', { method: 'POST', body: { name: 'Pat', email, password: 'first passphrase!' } });
    const a = await signIn(email, 'first passphrase!');
    const b = await signIn(email, 'first passphrase!');
    const wrong = await api('/api/v1/me/password', { method: 'PUT', token: a.token, body: { current_password: 'nope nope nope', new_password: 'second passphrase!' } });
    assert.equal(wrong.status, 400);
    assert.equal((await json(wrong)).error.code, 'wrong_password');
    const r = await api('/api/v1/me/password', { method: 'PUT', token: a.token, body: { current_password: 'first passphrase!', new_password: 'second passphrase!' } });
    assert.equal(r.status, 204);
    assert.equal((await api('/api/v1/me', { token: a.token })).status, 200);
    assert.equal((await api('/api/v1/me', { token: b.token })).status, 401);
    await signIn(email, 'second passphrase!');
  });

  test('edit profile', async () => {
    const email = fresh();
    await api('/api/v1/accounts', { method: 'POST', body: { name: 'Prof', email, password: 'first passphrase!' } });
    const { token } = await signIn(email, 'first passphrase!');
    const r = await api('/api/v1/me', { method: 'PATCH', token, body: { job_title: 'Data Librarian', organisation: 'Springfield PL', location: 'Ohio' } });
    assert.equal(r.status, 200);
    const { account } = await json(r);
    assert.equal(account.name, 'Prof');
    assert.equal(account.job_title, 'Data Librarian');
    const bad = await api('/api/v1/me', { method: 'PATCH', token, body: { location: 'x'.repeat(500) } });
    assert.equal(bad.status, 400);
    assert.equal((await json(bad)).error.code, 'too_long');
  });

  test('cookie-authenticated writes need the CSRF token', async () => {
    const s = await api('/api/v1/session', { method: 'POST', body: { email: 'visitor@demo.roundtable.test', password: DEMO_PASSWORD } });
    const cookie = s.headers.get('set-cookie').split(';')[0];
    const { csrf_token } = await json(s);
    const grp = await json(await api("/api/v1/groups/health", { headers: { cookie } }));
    const refused = await api('/api/v1/me', { method: 'PATCH', headers: { cookie }, body: { name: 'Hacked' } });
    assert.equal(refused.status, 403);
    assert.equal((await json(refused)).error.code, 'csrf_failed');
    const stillSame = await json(await api('/api/v1/me', { headers: { cookie } }));
    assert.equal(stillSame.account.name, 'Nora Nonmember');
    const allowed = await api('/api/v1/groups/social-work/membership', { method: 'POST', headers: { cookie, 'x-csrf-token': csrf_token } });
    assert.ok([200, 201].includes(allowed.status));
    assert.ok(grp.group);
  });
});

describe('groups', () => {
  test('the nine groups with viewer fields', async () => {
    const { groups } = await json(await api('/api/v1/groups'));
    assert.equal(groups.length, 9);
    const sw = groups.find((g) => g.slug === 'social-work');
    assert.equal(sw.join_policy, 'open');
    assert.equal(sw.liaison.name, 'Lena Liaison');
    assert.deepEqual(Object.keys(sw.viewer).sort(), ['can_invite', 'can_join', 'can_leave', 'can_manage', 'can_manage_feedback', 'can_send_feedback', 'is_member', 'message', 'reason', 'role']);
    assert.equal(sw.viewer.can_invite, false);
    assert.equal(sw.viewer.can_manage, false);
    assert.equal(sw.default_delivery, 'daily');
    assert.equal(sw.viewer.can_join, false);
    assert.equal(sw.viewer.reason, 'not_signed_in');
    assert.equal(groups.filter((g) => g.join_policy === 'members_only').length, 8);
  });

  test('unknown group is 404', async () => {
    const r = await api('/api/v1/groups/no-such-group');
    assert.equal(r.status, 404);
    assert.equal((await json(r)).error.code, 'group_not_found');
    const { token } = await signIn('active@demo.roundtable.test');
    assert.equal((await api('/api/v1/groups/no-such-group/membership', { method: 'POST', token })).status, 404);
  });

  test('joining needs a sign-in and the right membership', async () => {
    const anon = await api('/api/v1/groups/health/membership', { method: 'POST' });
    assert.equal(anon.status, 401);
    assert.equal((await json(anon)).error.code, 'not_signed_in');

    const nora = await signIn('visitor@demo.roundtable.test');
    const refused = await api('/api/v1/groups/health/membership', { method: 'POST', token: nora.token });
    assert.equal(refused.status, 403);
    assert.equal((await json(refused)).error.code, 'membership_required');

    const eve = await signIn('expired@demo.roundtable.test');
    const expired = await api('/api/v1/groups/health/membership', { method: 'POST', token: eve.token });
    assert.equal(expired.status, 403);
    const e = (await json(expired)).error;
    assert.equal(e.code, 'membership_expired');
    assert.match(e.message, /ended on \d{1,2} [A-Z][a-z]+ \d{4}/);
  });

  test('join is idempotent, leave works, members are visible to members', async () => {
    const ana = await signIn('active@demo.roundtable.test');
    const first = await api('/api/v1/groups/family-engagement/membership', { method: 'POST', token: ana.token });
    assert.equal(first.status, 201);
    const g1 = (await json(first)).group;
    assert.equal(g1.viewer.is_member, true);
    const second = await api('/api/v1/groups/family-engagement/membership', { method: 'POST', token: ana.token });
    assert.equal(second.status, 200);
    assert.equal((await json(second)).group.member_count, g1.member_count);

    const members = await json(await api('/api/v1/groups/family-engagement/members', { token: ana.token }));
    assert.ok(members.members.some((m) => m.name === 'Ana Active'));
    assert.ok(members.members.some((m) => m.role === 'liaison'));
    assert.equal(members.members[0].email, undefined);

    const nora = await signIn('visitor@demo.roundtable.test');
    const hidden = await api('/api/v1/groups/family-engagement/members', { token: nora.token });
    assert.equal(hidden.status, 403);
    assert.equal((await api('/api/v1/groups/family-engagement/members')).status, 401);

    const left = await api('/api/v1/groups/family-engagement/membership', { method: 'DELETE', token: ana.token });
    assert.equal(left.status, 200);
    assert.equal((await json(left)).group.viewer.is_member, false);
    const again = await api('/api/v1/groups/family-engagement/membership', { method: 'DELETE', token: ana.token });
    assert.equal(again.status, 403);
    assert.equal((await json(again)).error.code, 'not_group_member');

    const lena = await signIn('liaison@demo.roundtable.test');
    const stay = await api('/api/v1/groups/family-engagement/membership', { method: 'DELETE', token: lena.token });
    assert.equal(stay.status, 422);
  });

  test('an imported membership attaches once the address is verified and unlocks members-only groups', async () => {
    const email = fresh();
    await api('/api/v1/accounts', { method: 'POST', body: { name: 'Imported', email, password: 'a long enough passphrase' } });
    const { token } = await signIn(email, 'a long enough passphrase');
    assert.equal((await api('/api/v1/groups/data-measurement/membership', { method: 'POST', token })).status, 403);
    const csv = join(srv.dataDir, 'members.csv');
    writeFileSync(csv, `email,member_type,paid_through\n${email},Personal,2099-12-31\n`);
    const out = await cli(srv.dataDir, ['members', 'import', csv, '--association', 'pla']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /1 added, 0 updated, 0 unchanged, 0 rejected/);
    // It attaches once the address is verified (here by the operator).
    const unverified = await api('/api/v1/groups/data-measurement/membership', { method: 'POST', token });
    assert.equal(unverified.status, 403);
    assert.equal((await json(unverified)).error.code, 'email_unverified');
    assert.equal((await cli(srv.dataDir, ['accounts', 'verify', email])).code, 0);
    assert.equal((await api('/api/v1/groups/data-measurement/membership', { method: 'POST', token })).status, 201);
  });
});
