// Email delivery settings: the JSON API and the settings page, against the
// real server on a loopback port.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, run, DEMO_PASSWORD } from '../support/server.mjs';
import { formClient, cookieOf, csrfOf } from '../support/forms.mjs';

let srv;
before(async () => {
  srv = await startServer();
  // An unlisted group: it exists only for its members and admins.
  await run('sqlite3', [join(srv.dataDir, 'roundtable.db'),
    "UPDATE interest_groups SET listed = 0 WHERE slug = 'workforce-small-business'"]);
});
after(async () => { await srv?.stop(); });

const api = (path, { method = 'GET', body, token, raw, headers = {} } = {}) => {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload = raw;
  if (body !== undefined) { h['content-type'] = 'application/json'; payload = JSON.stringify(body); }
  if (raw !== undefined && !h['content-type']) h['content-type'] = 'application/json';
  return fetch(srv.base + path, { method, headers: h, body: payload, redirect: 'manual' });
};
const json = async (r) => JSON.parse(await r.text());
let counter = 0;
// A fresh account (no association membership) with its token.
async function person() {
  const email = `delivery${++counter}.${Date.now()}@example.org`;
  const password = 'a long enough passphrase';
  let r = await api('/api/v1/accounts', { method: 'POST', body: { name: `Dee ${counter}`, email, password } });
  assert.equal(r.status, 201);
  r = await api('/api/v1/session', { method: 'POST', body: { email, password } });
  assert.equal(r.status, 200);
  return (await json(r)).token;
}
const join_ = async (token, slug) => {
  const r = await api(`/api/v1/groups/${slug}/membership`, { method: 'POST', token });
  assert.equal(r.status, 201);
};
const ALL_ON = { reply: true, answer_accepted: true, private_message: true, mention: true, feedback: true, checkin: true };
// Digests follow the association's zone until a member picks one.
const ZONES = { time_zone: '', association_time_zone: 'America/Chicago' };

describe('delivery API', () => {
  test('settings start empty, joining uses the group default, PATCH membership changes it', async () => {
    const t = await person();
    let r = await api('/api/v1/me/notification-settings', { token: t });
    assert.equal(r.status, 200);
    assert.deepEqual(await json(r), { groups: [], email: ALL_ON, ...ZONES });

    await join_(t, 'social-work');
    r = await api('/api/v1/me/notification-settings', { token: t });
    assert.deepEqual(await json(r),
      { groups: [{ slug: 'social-work', name: 'Social Work', delivery: 'daily' }], email: ALL_ON, ...ZONES });

    r = await api('/api/v1/groups/social-work/membership', { method: 'PATCH', token: t, body: { delivery: 'weekly' } });
    assert.equal(r.status, 200);
    assert.deepEqual(await json(r), { membership: { group: 'social-work', role: 'member', delivery: 'weekly' } });
    r = await api('/api/v1/me/notification-settings', { token: t });
    assert.equal((await json(r)).groups[0].delivery, 'weekly');
  });

  test('PATCH notification-settings changes any subset and answers with all of it', async () => {
    const t = await person();
    await join_(t, 'social-work');
    let r = await api('/api/v1/me/notification-settings', { method: 'PATCH', token: t,
      body: { email: { mention: false } } });
    assert.equal(r.status, 200);
    assert.deepEqual(await json(r), {
      groups: [{ slug: 'social-work', name: 'Social Work', delivery: 'daily' }],
      email: { ...ALL_ON, mention: false }, ...ZONES });
    r = await api('/api/v1/me/notification-settings', { method: 'PATCH', token: t,
      body: { groups: { 'social-work': 'none' }, email: { reply: false } } });
    assert.equal(r.status, 200);
    assert.deepEqual(await json(r), {
      groups: [{ slug: 'social-work', name: 'Social Work', delivery: 'none' }],
      email: { ...ALL_ON, mention: false, reply: false }, ...ZONES });
    // The time zone digests follow: a real zone, then back to the association's.
    r = await api('/api/v1/me/notification-settings', { method: 'PATCH', token: t, body: { time_zone: 'Asia/Tokyo' } });
    assert.equal(r.status, 200);
    assert.equal((await json(r)).time_zone, 'Asia/Tokyo');
    for (const bad of ['Mars/Olympus_Mons', '../../etc/passwd', 7, 'x'.repeat(65)]) {
      r = await api('/api/v1/me/notification-settings', { method: 'PATCH', token: t,
        body: { time_zone: bad, email: { reply: true } } });
      assert.equal(r.status, 400, String(bad));
      assert.equal((await json(r)).error.field, 'time_zone');
    }
    r = await api('/api/v1/me/notification-settings', { token: t });
    const kept = await json(r);
    assert.equal(kept.time_zone, 'Asia/Tokyo');
    assert.equal(kept.email.reply, false);
    r = await api('/api/v1/me/notification-settings', { method: 'PATCH', token: t, body: { time_zone: '' } });
    assert.equal((await json(r)).time_zone, '');
  });

  test('bad values are 400 naming the field, and change nothing', async () => {
    const t = await person();
    await join_(t, 'social-work');
    const cases = [
      ['/api/v1/groups/social-work/membership', { delivery: 'hourly' }, 'invalid_delivery', 'delivery'],
      ['/api/v1/groups/social-work/membership', { delivery: 3 }, 'invalid_delivery', 'delivery'],
      ['/api/v1/groups/social-work/membership', {}, 'invalid_delivery', 'delivery'],
      ['/api/v1/groups/social-work/membership', { delivery: 'weekly', role: 'liaison' }, 'unknown_field', 'role'],
      ['/api/v1/me/notification-settings', { groups: { 'social-work': 'Daily' } }, 'invalid_delivery', 'groups.social-work'],
      ['/api/v1/me/notification-settings', { groups: ['social-work'] }, 'invalid_field', 'groups'],
      ['/api/v1/me/notification-settings', { email: { mention: 'no' } }, 'invalid_field', 'email.mention'],
      ['/api/v1/me/notification-settings', { email: { digest: false } }, 'unknown_field', 'email.digest'],
      ['/api/v1/me/notification-settings', { email: { mention: false }, delivery: 'none' }, 'unknown_field', 'delivery'],
    ];
    for (const [path, body, code, field] of cases) {
      const r = await api(path, { method: 'PATCH', token: t, body });
      assert.equal(r.status, 400, JSON.stringify(body));
      const { error } = await json(r);
      assert.equal(error.code, code, JSON.stringify(body));
      assert.equal(error.field, field, JSON.stringify(body));
      assert.ok(error.message.length > 0);
    }
    let r = await api('/api/v1/me/notification-settings', { method: 'PATCH', token: t, raw: '{"email":' });
    assert.equal(r.status, 400);
    assert.equal((await json(r)).error.code, 'malformed_json');
    r = await api('/api/v1/me/notification-settings', { method: 'PATCH', token: t, raw: '{}', headers: { 'content-type': 'text/plain' } });
    assert.equal(r.status, 415);
    // A body over the server's limit is refused before any handler runs.
    r = await api('/api/v1/me/notification-settings', { method: 'PATCH', token: t,
      raw: JSON.stringify({ groups: { x: 'a'.repeat(2 << 20) } }) });
    assert.equal(r.status, 413);
    r = await api('/api/v1/me/notification-settings', { token: t });
    assert.deepEqual(await json(r),
      { groups: [{ slug: 'social-work', name: 'Social Work', delivery: 'daily' }], email: ALL_ON, ...ZONES });
  });

  test('signed out is 401', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/v1/me/notification-settings'],
      ['PATCH', '/api/v1/me/notification-settings', { email: { reply: false } }],
      ['PATCH', '/api/v1/groups/social-work/membership', { delivery: 'weekly' }],
    ]) {
      const r = await api(path, { method, body });
      assert.equal(r.status, 401, `${method} ${path}`);
      assert.equal((await json(r)).error.code, 'not_signed_in');
    }
  });

  test('hidden and unknown groups are 404; a visible group one is not in is 422', async () => {
    const t = await person();
    await join_(t, 'social-work');
    for (const slug of ['workforce-small-business', 'no-such-group']) {
      let r = await api(`/api/v1/groups/${slug}/membership`, { method: 'PATCH', token: t, body: { delivery: 'none' } });
      assert.equal(r.status, 404, slug);
      r = await api('/api/v1/me/notification-settings', { method: 'PATCH', token: t,
        body: { groups: { 'social-work': 'weekly', [slug]: 'none' } } });
      assert.equal(r.status, 404, slug);
    }
    let r = await api('/api/v1/groups/health/membership', { method: 'PATCH', token: t, body: { delivery: 'none' } });
    assert.equal(r.status, 422);
    const { error } = await json(r);
    assert.equal(error.code, 'not_group_member');
    assert.equal(error.field, 'delivery');
    assert.match(error.message, /not a member of Health\. Join the group/);
    // The refused PATCHes changed nothing, not even the group they are in.
    r = await api('/api/v1/me/notification-settings', { token: t });
    assert.equal((await json(r)).groups[0].delivery, 'daily');
  });
});

describe('settings page', () => {
  const f = formClient(() => srv.base);
  async function signedIn(email) {
    const r = await f.post('/signin', f.form({ email, password: DEMO_PASSWORD }));
    assert.equal(r.status, 303, 'sign in');
    const cookie = cookieOf(r);
    const settings = await f.get('/settings/notifications', { cookie });
    return { cookie, html: await settings.text() };
  }

  test('signed out goes to sign in and back', async () => {
    const r = await f.get('/settings/notifications');
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/signin?next=%2Fsettings%2Fnotifications');
  });

  test('empty state, then a group with the member\'s delivery shown and linked', async () => {
    const { cookie, html } = await signedIn('visitor@demo.roundtable.test');
    assert.match(html, /Join a group to choose how you hear from it\./);
    assert.match(html, /href="\/groups"/);
    const csrf = csrfOf(html);
    let r = await f.post('/groups/social-work/join', f.form({ csrf_token: csrf }), { cookie });
    assert.equal(r.status, 303);
    const group = await (await f.get('/groups/social-work', { cookie })).text();
    assert.match(group, /You get a daily digest · <a href="\/settings\/notifications#group-social-work">Change/);
    const page = await (await f.get('/settings/notifications', { cookie })).text();
    assert.match(page, /<fieldset class="fieldset" id="group-social-work">/);
    assert.match(page, /id="delivery-social-work-daily" name="delivery.social-work" value="daily" checked/);
    assert.doesNotMatch(page, /Join a group to choose/);

    // Save: weekly, and mention emails off (left unticked).
    r = await f.post('/settings/notifications', f.form([['csrf_token', csrf],
      ['delivery.social-work', 'weekly'], ['email', 'reply'], ['email', 'answer_accepted'],
      ['email', 'private_message']]), { cookie });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/settings/notifications?notice=notification_settings_saved');
    const saved = await (await f.get(r.headers.get('location'), { cookie })).text();
    assert.match(saved, /Your notification settings are saved\./);
    assert.match(saved, /value="weekly" checked/);
    assert.match(saved, /id="email-reply" name="email" value="reply" checked/);
    assert.match(saved, /id="email-mention" name="email" value="mention">/);
    const after = await (await f.get('/groups/social-work', { cookie })).text();
    assert.match(after, /You get a weekly digest/);

    // A bad value: error summary linking to the group, nothing saved.
    r = await f.post('/settings/notifications', f.form([['csrf_token', csrf],
      ['delivery.social-work', 'hourly'], ['email', 'reply']]), { cookie });
    assert.equal(r.status, 400);
    const err = await r.text();
    assert.match(err, /<title>Error: Notification settings/);
    assert.match(err, /class="error-summary"/);
    assert.match(err, /href="#delivery-social-work-realtime">Choose how you hear from this group\./);
    assert.match(err, /aria-describedby="delivery-social-work-error"/);
    const still = await (await f.get('/settings/notifications', { cookie })).text();
    assert.match(still, /value="weekly" checked/);
    assert.match(still, /id="email-answer_accepted" name="email" value="answer_accepted" checked/);

    // A time zone that does not exist: the error sits beside the field.
    r = await f.post('/settings/notifications', f.form([['csrf_token', csrf],
      ['delivery.social-work', 'weekly'], ['email', 'reply'], ['time_zone', 'Mars/Olympus_Mons']]), { cookie });
    assert.equal(r.status, 400);
    const zoneErr = await r.text();
    assert.match(zoneErr, /id="field-time-zone-error"/);
    assert.match(zoneErr, /value="Mars\/Olympus_Mons"/);
    r = await f.post('/settings/notifications', f.form([['csrf_token', csrf],
      ['delivery.social-work', 'weekly'], ['email', 'reply'], ['time_zone', 'Europe/London']]), { cookie });
    assert.equal(r.status, 303);
    const zoned = await (await f.get('/settings/notifications', { cookie })).text();
    assert.match(zoned, /id="field-time-zone" name="time_zone" value="Europe\/London"/);
    // Without the CSRF token nothing is saved.
    r = await f.post('/settings/notifications', f.form([['delivery.social-work', 'none']]), { cookie });
    assert.equal(r.status, 403);
  });
});
