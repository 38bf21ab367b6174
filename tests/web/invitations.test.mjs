// Invitations over HTTP: the JSON API and the HTML pages against the real
// server. Mail is read back from the outbox (tests/support/queued_mail.mjs);
// tests/e2e/invitations.test.mjs sends it through SMTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, cli, run, DEMO_PASSWORD } from '../support/server.mjs';
import { formClient, cookieOf, csrfOf } from '../support/forms.mjs';
import { queuedMail, linkFor } from '../support/queued_mail.mjs';

const PASSWORD = 'a long enough passphrase';
let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const api = async (path, { method = 'GET', body, token, raw } = {}) => {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(srv.base + path, { method, headers, redirect: 'manual',
    body: raw !== undefined ? raw : body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
};
const tokenOf = async (email, password = DEMO_PASSWORD) =>
  (await api('/api/v1/session', { method: 'POST', body: { email, password } })).body.token;
let counter = 0;
const fresh = (tag) => `${tag}${++counter}.${Date.now()}@example.org`;
const sql = (statement) => run('sqlite3', [join(srv.dataDir, 'roundtable.db'), statement]);

test('API: members invite; bad lists, outsiders and strangers are refused with clear codes', async () => {
  const ana = await tokenOf('active@demo.roundtable.test');
  const nora = await tokenOf('visitor@demo.roundtable.test');
  assert.equal((await api('/api/v1/groups/data-measurement/membership', { method: 'POST', token: ana })).status, 201);
  const sam = fresh('sam');
  let r = await api('/api/v1/groups/data-measurement/invitations', { method: 'POST', token: ana,
    body: { emails: [sam, sam.toUpperCase(), 'liaison@demo.roundtable.test'], note: 'Join us!' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.invited, 1);
  assert.deepEqual(r.body.results.map((x) => [x.email, x.status, x.reason]), [
    [sam, 'invited', null], [sam, 'skipped', 'duplicate'],
    ['liaison@demo.roundtable.test', 'skipped', 'already_member']]);
  assert.equal(r.body.group.slug, 'data-measurement');
  const mail = await queuedMail(srv.dataDir, sam);
  assert.equal(mail.length, 1);
  assert.equal(mail[0].subject, 'Ana Active invites you to join Data and Measurement');
  assert.match(mail[0].text, /Join us!/);

  const many = Array.from({ length: 21 }, (_, i) => `p${i}.${Date.now()}@example.org`);
  r = await api('/api/v1/groups/data-measurement/invitations', { method: 'POST', token: ana, body: { emails: many } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'too_many_invitees');
  r = await api('/api/v1/groups/data-measurement/invitations', { method: 'POST', token: ana, body: { emails: ['nope'] } });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'invalid_email');
  assert.equal(r.body.error.field, 'emails');
  r = await api('/api/v1/groups/data-measurement/invitations', { method: 'POST', token: ana, body: { emails: 'x@example.org' } });
  assert.equal(r.status, 400);
  r = await api('/api/v1/groups/data-measurement/invitations', { method: 'POST', token: ana, body: { emails: [], note: 'x' } });
  assert.equal(r.body.error.code, 'no_invitees');
  r = await api('/api/v1/groups/data-measurement/invitations', { method: 'POST', token: ana, body: { emails: [fresh('n')], note: 'x'.repeat(1001) } });
  assert.equal(r.body.error.code, 'note_too_long');
  r = await api('/api/v1/groups/data-measurement/invitations', { method: 'POST', token: ana, body: { emails: [fresh('n')], cc: 1 } });
  assert.equal(r.body.error.code, 'unknown_field');
  r = await api('/api/v1/groups/data-measurement/invitations', { method: 'POST', token: ana, raw: '{"emails":' });
  assert.equal(r.status, 400);
  r = await api('/api/v1/groups/data-measurement/invitations', { method: 'POST', token: nora, body: { emails: [fresh('n')] } });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'not_group_member');
  r = await api('/api/v1/groups/data-measurement/invitations', { method: 'POST', body: { emails: [fresh('n')] } });
  assert.equal(r.status, 401);
  r = await api('/api/v1/groups/no-such-group/invitations', { method: 'POST', token: ana, body: { emails: [fresh('n')] } });
  assert.equal(r.status, 404);
  // The group JSON says who may invite.
  assert.equal((await api('/api/v1/groups/data-measurement', { token: ana })).body.group.viewer.can_invite, true);
  assert.equal((await api('/api/v1/groups/data-measurement', { token: nora })).body.group.viewer.can_invite, false);
});

test('API: the daily cap is 422 and sends nothing of the request', async () => {
  const lena = await tokenOf('liaison@demo.roundtable.test');
  for (let round = 0; round < 3; round++) {
    const emails = Array.from({ length: round < 2 ? 20 : 10 }, () => fresh('cap'));
    const r = await api('/api/v1/groups/health/invitations', { method: 'POST', token: lena, body: { emails } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const last = fresh('cap');
  const r = await api('/api/v1/groups/health/invitations', { method: 'POST', token: lena, body: { emails: [last] } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'daily_limit_reached');
  assert.match(r.body.error.message, /50 invitations a day/);
  assert.equal((await queuedMail(srv.dataDir, last)).length, 0);
  const mine = await api('/api/v1/invitations', { token: lena });
  assert.equal(mine.body.invitations.length, 20);
  assert.ok(mine.body.next);
  const older = await api(`/api/v1/invitations?before=${mine.body.next}`, { token: lena });
  assert.equal(older.body.invitations.length, 20);
  assert.equal((await api('/api/v1/invitations?before=x', { token: lena })).status, 400);
  assert.equal((await api('/api/v1/invitations')).status, 401);
});

test('API: the link waits for the membership, then joins once; the liaison sees the count', async () => {
  const ana = await tokenOf('active@demo.roundtable.test');
  await api('/api/v1/groups/data-measurement/membership', { method: 'POST', token: ana });
  const sam = fresh('member');
  await api('/api/v1/groups/data-measurement/invitations', { method: 'POST', token: ana, body: { emails: [sam] } });
  const link = await linkFor(srv.dataDir, sam, '/invitations/');

  let r = await api(`/api/v1/invitations/${link.token}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.next, 'sign_in');
  assert.equal(r.body.invitation.email, sam);
  assert.equal(r.body.invitation.inviter.name, 'Ana Active');
  assert.equal(r.body.invitation.group.join_policy, 'members_only');
  let mine = await api('/api/v1/invitations', { token: ana });
  assert.equal(mine.body.invitations.find((i) => i.email === sam).state, 'opened');

  assert.equal((await api('/api/v1/accounts', { method: 'POST', body: { name: 'Sam Member', email: sam, password: PASSWORD } })).status, 201);
  const samToken = await tokenOf(sam, PASSWORD);
  r = await api(`/api/v1/invitations/${link.token}`, { token: samToken });
  assert.equal(r.body.next, 'not_yet');
  assert.equal(r.body.reason, 'membership_required');
  assert.match(r.body.message, /for PLA members/);
  r = await api(`/api/v1/invitations/${link.token}/accept`, { method: 'POST', token: samToken });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'membership_required');

  const csv = join(srv.dataDir, `import-${counter}.csv`);
  writeFileSync(csv, `email,member_type,paid_through\n${sam},Personal,2099-12-31\n`);
  const out = await cli(srv.dataDir, ['members', 'import', csv, '--association', 'pla']);
  assert.equal(out.code, 0, out.stderr);
  assert.equal((await api(`/api/v1/invitations/${link.token}`, { token: samToken })).body.next, 'accept');
  r = await api(`/api/v1/invitations/${link.token}/accept`, { method: 'POST', token: samToken });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { joined: true, group: { slug: 'data-measurement', name: 'Data and Measurement' } });
  r = await api(`/api/v1/invitations/${link.token}/accept`, { method: 'POST', token: samToken });
  assert.equal(r.status, 410);
  assert.equal(r.body.error.code, 'invitation_used');
  assert.equal((await api(`/api/v1/invitations/${link.token}`)).status, 410);
  mine = await api('/api/v1/invitations', { token: ana });
  assert.equal(mine.body.invitations.find((i) => i.email === sam).state, 'joined');
  const lena = await tokenOf('liaison@demo.roundtable.test');
  assert.equal((await api('/api/v1/groups/data-measurement', { token: lena })).body.group.joined_via_invitation, 1);
  assert.equal((await api('/api/v1/groups/data-measurement', { token: ana })).body.group.joined_via_invitation, undefined);
  assert.equal((await api('/api/v1/invitations/not-a-token')).status, 404);
});

test('API: an invitation to an unlisted, invitation-only group shows it to the invited and lets them join', async () => {
  await sql("UPDATE interest_groups SET listed = 0, join_policy = 'invite' WHERE slug = 'family-engagement'");
  const admin = await tokenOf('admin@demo.roundtable.test');
  const ana = await tokenOf('active@demo.roundtable.test');
  // Hidden from an account that was not invited.
  assert.equal((await api('/api/v1/groups/family-engagement', { token: ana })).status, 404);
  const kim = fresh('kim');
  let r = await api('/api/v1/groups/family-engagement/invitations', { method: 'POST', token: admin, body: { emails: [kim] } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const link = await linkFor(srv.dataDir, kim, '/invitations/');
  assert.equal((await api('/api/v1/accounts', { method: 'POST', body: { name: 'Kim Invited', email: kim, password: PASSWORD } })).status, 201);
  const kimToken = await tokenOf(kim, PASSWORD);
  assert.equal((await api(`/api/v1/invitations/${link.token}`, { token: kimToken })).body.next, 'accept');
  r = await api(`/api/v1/invitations/${link.token}/accept`, { method: 'POST', token: kimToken });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.joined, true);
  assert.equal((await api('/api/v1/groups/family-engagement', { token: kimToken })).status, 200);
  // Still hidden from everyone else.
  assert.equal((await api('/api/v1/groups/family-engagement', { token: ana })).status, 404);
});

test('pages: invite form, results, my invitations, the link page, register through it, 410s', async () => {
  const f = formClient(() => srv.base);
  const signIn = async (email, password = DEMO_PASSWORD) => {
    const r = await f.post('/signin', f.form({ email, password }));
    assert.equal(r.status, 303);
    return cookieOf(r);
  };
  const ana = await signIn('active@demo.roundtable.test');
  await api('/api/v1/groups/social-work/membership', { method: 'POST', token: await tokenOf('active@demo.roundtable.test') });
  const group = await (await f.get('/groups/social-work', { cookie: ana })).text();
  assert.match(group, /<a href="\/groups\/social-work\/invitations\/new">Invite colleagues<\/a>/);
  const form = await (await f.get('/groups/social-work/invitations/new', { cookie: ana })).text();
  assert.match(form, /<h1>Invite colleagues to Social Work<\/h1>/);
  assert.match(form, /<label class="label" for="field-emails">Email addresses<\/label>/);
  const csrf = csrfOf(form);

  let r = await f.post('/groups/social-work/invitations', f.form({ csrf_token: csrf, emails: 'kim@example.org, not-an-address', note: 'Hello' }), { cookie: ana });
  assert.equal(r.status, 400);
  let html = await r.text();
  assert.match(html, /class="error-summary"/);
  assert.match(html, /href="#field-emails"/);
  assert.match(html, /not-an-address/);
  assert.match(html, />Hello<\/textarea>/);
  r = await f.post('/groups/social-work/invitations', f.form({ csrf_token: csrf, emails: 'kim@example.org', note: 'x'.repeat(1001) }), { cookie: ana });
  assert.equal(r.status, 400);
  assert.match(await r.text(), /href="#field-note"/);
  assert.equal((await f.post('/groups/social-work/invitations', f.form({ emails: 'kim@example.org' }), { cookie: ana })).status, 403);

  const kim = fresh('kim');
  r = await f.post('/groups/social-work/invitations', f.form({ csrf_token: csrf, emails: `${kim}\nliaison@demo.roundtable.test` }), { cookie: ana });
  assert.equal(r.status, 200);
  html = await r.text();
  assert.match(html, /<h1>Your invitation is on its way<\/h1>/);
  assert.match(html, new RegExp(`Invited:</strong> ${kim.replace('.', '\\.')}`));
  assert.match(html, /Not invited:<\/strong> liaison@demo\.roundtable\.test\. Already a member of Social Work\./);

  const list = await (await f.get('/invitations', { cookie: ana })).text();
  assert.match(list, /<h1>Your invitations<\/h1>/);
  assert.match(list, new RegExp(kim.replace('.', '\\.')));
  assert.match(list, /Sent, not opened yet/);

  // The link page, signed out: register with the invited address, come back.
  const link = await linkFor(srv.dataDir, kim, '/invitations/');
  html = await (await f.get(link.path)).text();
  assert.match(html, /<h1>Ana Active invites you to join Social Work<\/h1>/);
  assert.match(html, /Anyone with an account can join/);
  const next = encodeURIComponent(link.path);
  assert.ok(html.includes(`href="/register?next=${next}&amp;email=${encodeURIComponent(kim)}"`), html);
  const reg = await (await f.get(`/register?next=${next}&email=${encodeURIComponent(kim)}`)).text();
  assert.ok(reg.includes(`value="${kim}"`));
  assert.ok(reg.includes(`name="next" value="${link.path}"`));
  r = await f.post('/register', f.form({ name: 'Kim Colleague', email: kim, password: PASSWORD, next: link.path }));
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `${link.path}?notice=registered`);
  const kimCookie = cookieOf(r);
  html = await (await f.get(link.path, { cookie: kimCookie })).text();
  assert.match(html, /You can join Social Work now\./);
  r = await f.post(`${link.path}/accept`, f.form({ csrf_token: csrfOf(html) }), { cookie: kimCookie });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/groups/social-work?notice=joined');
  // Used twice: 410 with a clear page.
  r = await f.get(link.path, { cookie: kimCookie });
  assert.equal(r.status, 410);
  html = await r.text();
  assert.match(html, /This link no longer works/);
  assert.match(html, /has been used already/);
  assert.match(await (await f.get('/invitations', { cookie: ana })).text(), /Joined/);

  // Another address: 410 on the page and in the API's error format.
  const other = fresh('other');
  r = await f.post('/groups/social-work/invitations', f.form({ csrf_token: csrf, emails: other }), { cookie: ana });
  const otherLink = await linkFor(srv.dataDir, other, '/invitations/');
  const nora = await signIn('visitor@demo.roundtable.test');
  r = await f.get(otherLink.path, { cookie: nora });
  assert.equal(r.status, 410);
  assert.match(await r.text(), /was sent to other.*but you are signed in as visitor@demo\.roundtable\.test/);
  const wrong = await api(`/api/v1/invitations/${otherLink.token}/accept`, { method: 'POST', token: await tokenOf('visitor@demo.roundtable.test') });
  assert.equal(wrong.status, 410);
  assert.equal(wrong.body.error.code, 'invitation_wrong_address');

  // Expired: 410 too.
  await sql(`UPDATE invitations SET expires_at = created_at WHERE email = '${other}'`);
  r = await f.get(otherLink.path);
  assert.equal(r.status, 410);
  assert.match(await r.text(), /expired on/);
  const expired = await api(`/api/v1/invitations/${otherLink.token}`);
  assert.equal(expired.status, 410);
  assert.equal(expired.body.error.code, 'invitation_expired');
  assert.match(await (await f.get('/invitations', { cookie: ana })).text(), /Expired/);

  // Signed out, the form and the list ask to sign in.
  assert.equal((await f.get('/invitations')).status, 303);
  assert.equal((await f.get('/groups/social-work/invitations/new')).status, 303);
  assert.equal((await f.get('/groups/social-work/invitations/new', { cookie: nora })).status, 403);
});

test('API and page: invitations are limited per client address too (429, Retry-After)', async () => {
  // Three invitations an hour from one address, whichever members send them.
  const limited = await startServer({ args: ['--invite-max-per-ip', '3'] });
  try {
    const call = async (path, { method = 'GET', body, token, headers = {} } = {}) => {
      const r = await fetch(limited.base + path, { method, redirect: 'manual', headers: {
        ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined });
      const text = await r.text();
      return { status: r.status, headers: r.headers, text, body: text.startsWith('{') ? JSON.parse(text) : null };
    };
    const login = async (email) =>
      (await call('/api/v1/session', { method: 'POST', body: { email, password: DEMO_PASSWORD } })).body.token;
    const ana = await login('active@demo.roundtable.test');
    const grace = await login('grace@demo.roundtable.test');
    for (const t of [ana, grace]) {
      assert.equal((await call('/api/v1/groups/social-work/membership', { method: 'POST', token: t })).status, 201);
    }
    const invite = (token, emails) => call('/api/v1/groups/social-work/invitations',
      { method: 'POST', token, body: { emails } });
    assert.equal((await invite(ana, [fresh('a'), fresh('b')])).status, 201);
    assert.equal((await invite(grace, [fresh('c')])).status, 201);
    // The address has sent three: another member from it must wait.
    const r = await invite(grace, [fresh('d')]);
    assert.equal(r.status, 429);
    assert.equal(r.body.error.code, 'too_many_requests');
    assert.match(r.body.error.message, /Wait \d+ minutes/);
    assert.ok(Number(r.headers.get('retry-after')) > 0);
    // Nothing of the refused request was stored.
    const mine = await call('/api/v1/invitations', { token: grace });
    assert.equal(mine.body.invitations.length, 1);

    // The page says the same, keeps what was typed, and sends Retry-After.
    const f = formClient(() => limited.base);
    const signedIn = await f.post('/signin', f.form({ email: 'grace@demo.roundtable.test', password: DEMO_PASSWORD }));
    const cookie = cookieOf(signedIn);
    const form = await (await f.get('/groups/social-work/invitations/new', { cookie })).text();
    const page = await f.post('/groups/social-work/invitations',
      f.form({ csrf_token: csrfOf(form), emails: 'typed@example.org', note: 'Kept note' }), { cookie });
    assert.equal(page.status, 429);
    assert.ok(Number(page.headers.get('retry-after')) > 0);
    const html = await page.text();
    assert.match(html, /class="error-summary"/);
    assert.match(html, /Too many invitations were sent from your network/);
    assert.match(html, /typed@example\.org/);
    assert.match(html, />Kept note<\/textarea>/);
  } finally {
    await limited.stop();
  }
});

test('API: joining from the group itself answers the invitation; the inviter sees "joined"', async () => {
  const ana = await tokenOf('active@demo.roundtable.test');
  await api('/api/v1/groups/social-work/membership', { method: 'POST', token: ana });
  const sam = fresh('joiner');
  assert.equal((await api('/api/v1/groups/social-work/invitations', { method: 'POST', token: ana,
    body: { emails: [sam] } })).status, 201);
  assert.equal((await cli(srv.dataDir, ['accounts', 'create', '--email', sam, '--name', 'Sam Joiner'],
    PASSWORD + '\n')).code, 0);
  const samToken = await tokenOf(sam, PASSWORD);
  const lena = await tokenOf('liaison@demo.roundtable.test');
  const joinedVia = async () =>
    (await api('/api/v1/groups/social-work', { token: lena })).body.group.joined_via_invitation;
  const countBefore = await joinedVia();
  let r = await api('/api/v1/invitations', { token: samToken });
  assert.equal(r.body.to_me.length, 1);
  r = await api('/api/v1/groups/social-work/membership', { method: 'POST', token: samToken });
  assert.equal(r.status, 201);
  r = await api('/api/v1/invitations', { token: ana });
  const sent = r.body.invitations.find((x) => x.email === sam);
  assert.equal(sent.state, 'joined');
  assert.equal((await api('/api/v1/invitations', { token: samToken })).body.to_me.length, 0);
  assert.equal(await joinedVia(), countBefore + 1);
});

test('pages and API: "invitations to you" link to the invitation, which the invitee accepts there', async () => {
  const ana = await tokenOf('active@demo.roundtable.test');
  await api('/api/v1/groups/social-work/membership', { method: 'POST', token: ana });
  const lee = fresh('lee');
  const pat = fresh('pat');
  assert.equal((await api('/api/v1/groups/social-work/invitations', { method: 'POST', token: ana,
    body: { emails: [lee, pat], note: 'Come along' } })).status, 201);
  for (const [email, name] of [[lee, 'Lee Invitee'], [pat, 'Pat Invitee']]) {
    assert.equal((await cli(srv.dataDir, ['accounts', 'create', '--email', email, '--name', name],
      PASSWORD + '\n')).code, 0);
  }

  // The page: the list links to /me/invitations/ID, which has the Join button.
  const f = formClient(() => srv.base);
  const cookie = cookieOf(await f.post('/signin', f.form({ email: lee, password: PASSWORD })));
  const list = await (await f.get('/invitations', { cookie })).text();
  const href = list.match(/href="(\/me\/invitations\/\d+)">See the invitation and join/)[1];
  let html = await (await f.get(href, { cookie })).text();
  assert.match(html, /<h1>Ana Active invites you to join Social Work<\/h1>/);
  assert.match(html, /Come along/);
  assert.ok(html.includes(`action="${href}/accept"`), html);
  // Nobody else may see it: the inviter and a stranger get 404.
  const anaCookie = cookieOf(await f.post('/signin', f.form({ email: 'active@demo.roundtable.test', password: DEMO_PASSWORD })));
  assert.equal((await f.get(href, { cookie: anaCookie })).status, 404);
  assert.equal((await f.get(href)).status, 303);
  let r = await f.post(`${href}/accept`, f.form({ csrf_token: csrfOf(html) }), { cookie });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/groups/social-work?notice=joined');
  r = await f.get(href, { cookie });
  assert.equal(r.status, 410);
  assert.match(await r.text(), /has been used already/);

  // The API: to_me carries the id and the URLs; the invitee accepts by id.
  const patToken = await tokenOf(pat, PASSWORD);
  const mine = await api('/api/v1/invitations', { token: patToken });
  assert.equal(mine.body.to_me.length, 1);
  const item = mine.body.to_me[0];
  assert.equal(item.page_url, `/me/invitations/${item.id}`);
  assert.equal(item.accept_url, `/api/v1/me/invitations/${item.id}/accept`);
  r = await api(`/api/v1/me/invitations/${item.id}`, { token: patToken });
  assert.equal(r.status, 200);
  assert.equal(r.body.next, 'accept');
  r = await api(`/api/v1/me/invitations/${item.id}`, { token: ana });
  assert.equal(r.status, 404);
  assert.equal(r.body.error.code, 'invitation_not_found');
  r = await api(`/api/v1/me/invitations/${item.id}/accept`, { method: 'POST', token: ana });
  assert.equal(r.status, 404);
  r = await api(`/api/v1/me/invitations/${item.id}/accept`, { method: 'POST', token: patToken });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { joined: true, group: { slug: 'social-work', name: 'Social Work' } });
  r = await api(`/api/v1/me/invitations/${item.id}/accept`, { method: 'POST', token: patToken });
  assert.equal(r.status, 410);
  assert.equal(r.body.error.code, 'invitation_used');
  const sent = (await api('/api/v1/invitations', { token: ana })).body.invitations;
  assert.equal(sent.find((x) => x.email === pat).state, 'joined');
  assert.equal((await api('/api/v1/me/invitations/nope', { token: patToken })).status, 404);
});
