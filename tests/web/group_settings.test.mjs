// A group's settings (how people who join get its mail): the JSON API, the
// page and the CLI, against the real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli, DEMO_PASSWORD } from '../support/server.mjs';
import { formClient, cookieOf, csrfOf } from '../support/forms.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const api = async (path, { method = 'GET', body, token } = {}) => {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(srv.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
};
const tokenOf = async (email) =>
  (await api('/api/v1/session', { method: 'POST', body: { email, password: DEMO_PASSWORD } })).body.token;

test('API: the liaison sets the default; members, visitors and bad values are refused', async () => {
  const lena = await tokenOf('liaison@demo.roundtable.test');
  const ana = await tokenOf('active@demo.roundtable.test');
  let r = await api('/api/v1/groups/health', { token: lena });
  assert.equal(r.body.group.default_delivery, 'daily');
  assert.equal(r.body.group.viewer.can_manage, true);

  r = await api('/api/v1/groups/health', { method: 'PATCH', token: lena, body: { default_delivery: 'weekly' } });
  assert.equal(r.status, 200);
  assert.equal(r.body.group.default_delivery, 'weekly');

  r = await api('/api/v1/groups/health', { method: 'PATCH', token: ana, body: { default_delivery: 'none' } });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'not_staff');
  r = await api('/api/v1/groups/health', { method: 'PATCH', body: { default_delivery: 'none' } });
  assert.equal(r.status, 401);
  r = await api('/api/v1/groups/health', { method: 'PATCH', token: lena, body: { default_delivery: 'hourly' } });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'default_delivery');
  r = await api('/api/v1/groups/health', { method: 'PATCH', token: lena, body: { name: 'x' } });
  assert.equal(r.status, 400);
  r = await api('/api/v1/groups/no-such-group', { method: 'PATCH', token: lena, body: { default_delivery: 'none' } });
  assert.equal(r.status, 404);
  assert.equal((await api('/api/v1/groups/health', { token: ana })).body.group.default_delivery, 'weekly');
  assert.equal((await api('/api/v1/groups/health', { token: ana })).body.group.viewer.can_manage, false);

  // Someone who joins now gets the new default.
  r = await api('/api/v1/groups/health/membership', { method: 'POST', token: ana });
  assert.equal(r.status, 201);
  r = await api('/api/v1/me/notification-settings', { token: ana });
  assert.equal(r.body.groups.find((g) => g.slug === 'health').delivery, 'weekly');
});

test('page: staff see the link and save; members get 403; errors keep the page', async () => {
  const f = formClient(() => srv.base);
  const signIn = async (email) => {
    const r = await f.post('/signin', f.form({ email, password: DEMO_PASSWORD }));
    assert.equal(r.status, 303);
    return cookieOf(r);
  };
  const lena = await signIn('liaison@demo.roundtable.test');
  const group = await (await f.get('/groups/family-engagement', { cookie: lena })).text();
  assert.match(group, /<a href="\/groups\/family-engagement\/settings">Group settings<\/a>/);
  const page = await (await f.get('/groups/family-engagement/settings', { cookie: lena })).text();
  assert.match(page, /<h1>Settings for /);
  assert.match(page, /id="default-delivery-daily" name="default_delivery" value="daily" checked/);
  const csrf = csrfOf(page);

  let r = await f.post('/groups/family-engagement/settings', f.form({ csrf_token: csrf, default_delivery: 'realtime' }), { cookie: lena });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/groups/family-engagement/settings?notice=group_settings_saved');
  const saved = await (await f.get(r.headers.get('location'), { cookie: lena })).text();
  assert.match(saved, /The group(&apos;|')s settings are saved\./);
  assert.match(saved, /value="realtime" checked/);

  r = await f.post('/groups/family-engagement/settings', f.form({ csrf_token: csrf, default_delivery: 'hourly' }), { cookie: lena });
  assert.equal(r.status, 400);
  const err = await r.text();
  assert.match(err, /class="error-summary"/);
  assert.match(err, /Choose how people who join get email\./);
  assert.match(err, /value="realtime" checked/);

  const ana = await signIn('active@demo.roundtable.test');
  const member = await (await f.get('/groups/family-engagement', { cookie: ana })).text();
  assert.doesNotMatch(member, /Group settings/);
  assert.equal((await f.get('/groups/family-engagement/settings', { cookie: ana })).status, 403);
  const anon = await f.get('/groups/family-engagement/settings');
  assert.equal(anon.status, 303);
  assert.match(anon.headers.get('location'), /^\/signin\?next=/);
});

test('CLI: set-default-delivery changes the default, refuses unknown groups and values', async () => {
  const ok = await cli(srv.dataDir, ['groups', 'set-default-delivery', 'digital-literacy', 'none']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /now get: none/);
  const r = await api('/api/v1/groups/digital-literacy');
  assert.equal(r.body.group.default_delivery, 'none');
  const missing = await cli(srv.dataDir, ['groups', 'set-default-delivery', 'no-such-group', 'none']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /roundtable: /);
  const bad = await cli(srv.dataDir, ['groups', 'set-default-delivery', 'digital-literacy', 'hourly']);
  assert.notEqual(bad.code, 0);
});
