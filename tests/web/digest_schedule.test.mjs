// The association's digest schedule (when digests go out): the JSON API and
// the admin page, against the real server. Only admins see either; everyone
// else signed in gets 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../support/server.mjs';
import { formClient, cookieOf, csrfOf } from '../support/forms.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const PATH = '/api/v1/association/digest-schedule';
const api = async (path, { method = 'GET', body, token, raw } = {}) => {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(srv.base + path, { method, headers,
    body: raw !== undefined ? raw : body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
};
const tokenOf = async (email) =>
  (await api('/api/v1/session', { method: 'POST', body: { email, password: DEMO_PASSWORD } })).body.token;

test('API: an admin reads and changes any part of the schedule; bad values are refused', async () => {
  const avery = await tokenOf('admin@demo.roundtable.test');
  let r = await api(PATH, { token: avery });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { digest_schedule: { hour: 7, weekday: 'monday', time_zone: 'America/Chicago' } });

  r = await api(PATH, { method: 'PATCH', token: avery, body: { hour: 9 } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.digest_schedule, { hour: 9, weekday: 'monday', time_zone: 'America/Chicago' });
  r = await api(PATH, { method: 'PATCH', token: avery, body: { weekday: 'Friday', time_zone: 'Europe/London' } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.digest_schedule, { hour: 9, weekday: 'friday', time_zone: 'Europe/London' });
  r = await api(PATH, { method: 'PATCH', token: avery, body: {} });
  assert.equal(r.status, 200);
  assert.equal(r.body.digest_schedule.hour, 9);

  const refused = [
    [{ hour: 24 }, 400, 'digest_hour_invalid', 'hour'],
    [{ hour: -1 }, 400, 'digest_hour_invalid', 'hour'],
    [{ hour: 1e20 }, 400, 'invalid_field', 'hour'],
    [{ hour: 18446744073709551615n }, 400, 'digest_hour_invalid', 'hour'],
    [{ hour: 7.5 }, 400, 'invalid_field', 'hour'],
    [{ hour: '7' }, 400, 'invalid_field', 'hour'],
    [{ weekday: 'someday' }, 400, 'digest_weekday_invalid', 'weekday'],
    [{ weekday: 1 }, 400, 'digest_weekday_invalid', 'weekday'],
    [{ time_zone: 'Mars/Olympus_Mons' }, 400, 'time_zone_invalid', 'time_zone'],
    [{ time_zone: '../../etc/passwd' }, 400, 'time_zone_invalid', 'time_zone'],
    [{ time_zone: 'x'.repeat(5000) }, 400, 'time_zone_invalid', 'time_zone'],
    [{ time_zone: null }, 400, 'invalid_field', 'time_zone'],
    [{ hour: 3, time_zone: 'Nowhere/City' }, 400, 'time_zone_invalid', 'time_zone'],
    [{ minute: 5 }, 400, 'unknown_field', 'minute'],
  ];
  for (const [body, status, code, field] of refused) {
    // BigInt cannot go through JSON.stringify: write it by hand.
    const raw = JSON.stringify(body, (k, v) => (typeof v === 'bigint' ? `@${v}@` : v)).replace(/"@(\d+)@"/, '$1');
    r = await api(PATH, { method: 'PATCH', token: avery, raw });
    assert.equal(r.status, status, raw);
    assert.equal(r.body.error.code, code, raw);
    assert.equal(r.body.error.field, field, raw);
    assert.ok(r.body.error.message.length > 0);
  }
  r = await api(PATH, { method: 'PATCH', token: avery, raw: '{"hour":' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'malformed_json');
  // Nothing of the refused changes stuck.
  r = await api(PATH, { token: avery });
  assert.deepEqual(r.body.digest_schedule, { hour: 9, weekday: 'friday', time_zone: 'Europe/London' });
  r = await api(PATH, { method: 'PATCH', token: avery, body: { hour: 7, weekday: 'monday', time_zone: 'America/Chicago' } });
  assert.equal(r.status, 200);
});

test('API: it does not exist for anyone but admins', async () => {
  for (const email of ['liaison@demo.roundtable.test', 'active@demo.roundtable.test']) {
    const token = await tokenOf(email);
    let r = await api(PATH, { token });
    assert.equal(r.status, 404, email);
    assert.equal(r.body.error.code, 'not_found');
    // Not even a bad body tells them more.
    for (const body of [{ hour: 3 }, { hour: 99 }, { nonsense: true }]) {
      r = await api(PATH, { method: 'PATCH', token, body });
      assert.equal(r.status, 404, `${email} ${JSON.stringify(body)}`);
    }
  }
  let r = await api(PATH);
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'not_signed_in');
  r = await api(PATH, { method: 'PATCH', body: { hour: 3 } });
  assert.equal(r.status, 401);
  const avery = await tokenOf('admin@demo.roundtable.test');
  assert.equal((await api(PATH, { token: avery })).body.digest_schedule.hour, 7);
});

test('page: an admin finds it from the profile, saves, and sees errors beside the fields', async () => {
  const f = formClient(() => srv.base);
  const signIn = async (email) => {
    const r = await f.post('/signin', f.form({ email, password: DEMO_PASSWORD }));
    assert.equal(r.status, 303);
    return cookieOf(r);
  };
  const avery = await signIn('admin@demo.roundtable.test');
  const profile = await (await f.get('/account', { cookie: avery })).text();
  assert.match(profile, /<a href="\/admin\/digests">Digest schedule<\/a>/);
  const page = await (await f.get('/admin/digests', { cookie: avery })).text();
  assert.match(page, /<title>Digest schedule — /);
  assert.match(page, /<h1>Digest schedule<\/h1>/);
  assert.match(page, /<label class="label" for="field-hour">/);
  assert.match(page, /<option value="7" selected>07:00<\/option>/);
  assert.match(page, /<option value="monday" selected>Monday<\/option>/);
  assert.match(page, /id="field-time-zone" name="time_zone" value="America\/Chicago"/);
  const csrf = csrfOf(page);

  let r = await f.post('/admin/digests', f.form({ csrf_token: csrf, hour: '18', weekday: 'wednesday', time_zone: ' Asia/Tokyo ' }), { cookie: avery });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/admin/digests?notice=digest_schedule_saved');
  const saved = await (await f.get(r.headers.get('location'), { cookie: avery })).text();
  assert.match(saved, /The digest schedule is saved\./);
  assert.match(saved, /<option value="18" selected>18:00<\/option>/);
  assert.match(saved, /<option value="wednesday" selected>Wednesday<\/option>/);
  assert.match(saved, /value="Asia\/Tokyo"/);
  const token = await tokenOf('admin@demo.roundtable.test');
  assert.deepEqual((await api(PATH, { token })).body.digest_schedule,
    { hour: 18, weekday: 'wednesday', time_zone: 'Asia/Tokyo' });

  // A zone that does not exist: 400, the page again with what was sent.
  r = await f.post('/admin/digests', f.form({ csrf_token: csrf, hour: '6', weekday: 'friday', time_zone: "Mars/O'Neil" }), { cookie: avery });
  assert.equal(r.status, 400);
  let err = await r.text();
  assert.match(err, /<title>Error: Digest schedule/);
  assert.match(err, /class="error-summary"/);
  assert.match(err, /<a href="#field-time-zone">Choose a time zone by its name/);
  assert.match(err, /id="field-time-zone-error"/);
  assert.match(err, /value="Mars\/O&apos;Neil"/);
  assert.match(err, /<option value="6" selected>06:00<\/option>/);
  assert.match(err, /<option value="friday" selected>Friday<\/option>/);
  // Tampered selects.
  r = await f.post('/admin/digests', f.form({ csrf_token: csrf, hour: '25', weekday: 'monday', time_zone: 'UTC' }), { cookie: avery });
  assert.equal(r.status, 400);
  assert.match(await r.text(), /<a href="#field-hour">Choose an hour from 0 \(midnight\) to 23\./);
  r = await f.post('/admin/digests', f.form({ csrf_token: csrf, hour: '5', weekday: 'someday', time_zone: 'UTC' }), { cookie: avery });
  assert.equal(r.status, 400);
  assert.match(await r.text(), /<a href="#field-weekday">Choose the day weekly digests go out\./);
  r = await f.post('/admin/digests', f.form({ csrf_token: csrf, hour: 'x', weekday: 'monday', time_zone: 'UTC' }), { cookie: avery });
  assert.equal(r.status, 400);
  assert.match(await r.text(), /Choose the hour digests go out\./);
  // Without the CSRF token nothing is saved.
  r = await f.post('/admin/digests', f.form({ hour: '1', weekday: 'monday', time_zone: 'UTC' }), { cookie: avery });
  assert.equal(r.status, 403);
  assert.deepEqual((await api(PATH, { token })).body.digest_schedule,
    { hour: 18, weekday: 'wednesday', time_zone: 'Asia/Tokyo' });
  // Midnight, Sunday, UTC: the ends of each range.
  r = await f.post('/admin/digests', f.form({ csrf_token: csrf, hour: '0', weekday: 'sunday', time_zone: 'UTC' }), { cookie: avery });
  assert.equal(r.status, 303);
  assert.deepEqual((await api(PATH, { token })).body.digest_schedule, { hour: 0, weekday: 'sunday', time_zone: 'UTC' });

  // Everyone else: no link, and 404 (sign-in first for visitors).
  for (const email of ['liaison@demo.roundtable.test', 'active@demo.roundtable.test']) {
    const cookie = await signIn(email);
    const own = await (await f.get('/account', { cookie })).text();
    assert.doesNotMatch(own, /admin\/digests/);
    const got = await f.get('/admin/digests', { cookie });
    assert.equal(got.status, 404, email);
    assert.match(await got.text(), /Page not found/);
    const ownCsrf = csrfOf(own);
    r = await f.post('/admin/digests', f.form({ csrf_token: ownCsrf, hour: '1', weekday: 'monday', time_zone: 'UTC' }), { cookie });
    assert.equal(r.status, 404, email);
  }
  const anon = await f.get('/admin/digests');
  assert.equal(anon.status, 303);
  assert.equal(anon.headers.get('location'), '/signin?next=%2Fadmin%2Fdigests');
});
