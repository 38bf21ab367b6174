// Real-time thread mail end to end: `roundtable serve --smtp-url` sends each
// new post to the members with real-time delivery through a real SMTP
// server, and the mail's one-click unsubscribe (RFC 8058) works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { startServer, run, cli, ROOT, DEMO_PASSWORD } from '../support/server.mjs';
import { startCapture, unsubscribePath } from '../support/mail_capture.mjs';
import { formClient, cookieOf, csrfOf } from '../support/forms.mjs';

const DOMAIN = 'groups.example.test';
let srv, smtp;
before(async () => {
  smtp = await startCapture();
  // An https base URL: List-Unsubscribe-Post is only offered for https.
  srv = await startServer({
    baseUrl: `https://${DOMAIN}`,
    args: ['--smtp-url', smtp.url, '--mail-domain', DOMAIN],
  });
});
after(async () => { await srv?.stop(); await smtp?.stop(); });

const call = async (token, method, path, body) => {
  const headers = { authorization: `Bearer ${token}` };
  if (body) headers['content-type'] = 'application/json';
  const r = await fetch(srv.base + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : {} };
};
const session = async (email) => {
  const r = await fetch(srv.base + '/api/v1/session', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  assert.equal(r.status, 200);
  return (await r.json()).token;
};
const GRANT = 'grace@demo.roundtable.test';
const bounceAddress = async (email) => {
  const r = await cli(srv.dataDir, ['mail', 'bounce-address', '--email', email, '--mail-domain', DOMAIN]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
};
let openingEnvelope;
const deliveryOf = async (token, slug) =>
  (await call(token, 'GET', '/api/v1/me/notification-settings')).body.groups.find((g) => g.slug === slug)?.delivery;

test('a real-time member gets each post as threaded list mail, and one click unsubscribes', async () => {
  const ana = await session('active@demo.roundtable.test');
  const grant = await session(GRANT);
  for (const t of [ana, grant]) {
    const r = await call(t, 'POST', '/api/v1/groups/data-measurement/membership');
    assert.ok([200, 201].includes(r.status), JSON.stringify(r.body));
  }
  let r = await call(grant, 'PATCH', '/api/v1/groups/data-measurement/membership', { delivery: 'realtime' });
  assert.equal(r.status, 200);

  r = await call(ana, 'POST', '/api/v1/groups/data-measurement/threads',
    { kind: 'question', title: 'How do you count e-book loans?', body: 'We use **vendor** reports.' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const thread = r.body.thread.id;
  const first = r.body.post.id;
  const opening = await smtp.waitFor((m) => m.headers['message-id'] === `<post-${first}@${DOMAIN}>`,
    'the opening post mail');
  assert.deepEqual(opening.rcptTo, [GRANT]);
  assert.equal(opening.headers['in-reply-to'], undefined);
  // The envelope sender is Grant's bounce address (VERP), where a report
  // that this mail failed must come back.
  assert.equal(opening.mailFrom, await bounceAddress(GRANT));
  openingEnvelope = opening.mailFrom;

  r = await call(ana, 'POST', `/api/v1/threads/${thread}/posts`, { body: 'Also the *circulation* logs.' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const reply = r.body.post.id;
  const mail = await smtp.waitFor((m) => m.headers['message-id'] === `<post-${reply}@${DOMAIN}>`,
    'the reply mail');
  const h = mail.headers;
  assert.deepEqual(mail.rcptTo, [GRANT]);
  assert.match(h.from, new RegExp(`Ana Active via Data .*<data-measurement@${DOMAIN}>`));
  assert.match(h.subject, /^Re: \[Data .*\] How do you count e-book loans\?$/);
  assert.equal(h['in-reply-to'], `<post-${first}@${DOMAIN}>`);
  assert.equal(h.references, `<post-${first}@${DOMAIN}>`);
  assert.match(h['list-id'], new RegExp(`<data-measurement\\.${DOMAIN.replace(/\./g, '\\.')}>`));
  assert.match(h['list-unsubscribe'], new RegExp(`^<https://${DOMAIN}/unsubscribe/[A-Za-z0-9_-]{43}>$`));
  assert.equal(h['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
  assert.match(h['reply-to'], new RegExp(`<reply\\+[A-Za-z0-9_-]{43}@${DOMAIN.replace(/\./g, '\\.')}>`));
  assert.match(h['content-type'], /^multipart\/alternative/);
  assert.deepEqual(mail.parts.map((p) => p.type), ['text/plain', 'text/html']);
  assert.match(mail.parts[0].text, /Also the \*circulation\* logs\./);
  assert.match(mail.parts[1].text, /<em>circulation<\/em>/);
  assert.match(mail.parts[1].text, /#group-data-measurement/);

  // GET shows what would stop and changes nothing; it works signed out.
  const path = unsubscribePath(mail);
  const page = await fetch(srv.base + path);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Stop emails from Data/);
  assert.equal(await deliveryOf(grant, 'data-measurement'), 'realtime');

  // The RFC 8058 POST, as a mail provider sends it: no cookie, no CSRF
  // token, no Origin of ours.
  const one = await fetch(srv.base + path, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example.net' },
    body: 'List-Unsubscribe=One-Click' });
  assert.equal(one.status, 200);
  assert.equal(await deliveryOf(grant, 'data-measurement'), 'none');

  // The next post reaches nobody.
  r = await call(ana, 'POST', `/api/v1/threads/${thread}/posts`, { body: 'One more.' });
  assert.equal(r.status, 201);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.equal(smtp.messages().filter((m) => m.headers['message-id'] === `<post-${r.body.post.id}@${DOMAIN}>`).length, 0);

  // The JSON face: repeating is harmless.
  const api = await fetch(srv.base + '/api' + '/v1' + path, { method: 'POST' });
  assert.equal(api.status, 200);
  assert.deepEqual(await api.json(), { delivery: 'none', group: 'data-measurement', changed: 1 });
});

test('a forged or damaged unsubscribe token is 404, as a page and as JSON', async () => {
  const forged = '/unsubscribe/' + 'A'.repeat(43);
  let r = await fetch(srv.base + forged);
  assert.equal(r.status, 404);
  assert.match(await r.text(), /This unsubscribe link is not valid/);
  r = await fetch(srv.base + forged, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click' });
  assert.equal(r.status, 404);
  r = await fetch(srv.base + '/api/v1' + forged, { method: 'POST' });
  assert.equal(r.status, 404);
  const body = await r.json();
  assert.equal(body.error.code, 'not_found');
  assert.match(body.error.message, /not valid/);
});

test('a member whose mail is paused sees why, and resumes it with a button', async () => {
  const email = 'expired@demo.roundtable.test';
  await run('sqlite3', [join(srv.dataDir, 'roundtable.db'),
    "UPDATE accounts SET mail_paused_at = 1772366400, mail_pause_reason = '550 5.1.1 No such user here' " +
    `WHERE email = '${email}'`]);
  const f = formClient(() => srv.base);
  const signin = await f.post('/signin', f.form({ email, password: DEMO_PASSWORD }));
  assert.equal(signin.status, 303);
  const cookie = cookieOf(signin);
  for (const path of ['/', '/settings/notifications']) {
    const html = await (await f.get(path, { cookie })).text();
    assert.match(html, /We stopped emailing you on 1 March 2026/, path);
    assert.match(html, /550 5\.1\.1 No such user here/, path);
    assert.match(html, /<form method="post" action="\/settings\/mail\/resume">/, path);
  }
  const html = await (await f.get('/settings/notifications', { cookie })).text();
  // Like every cookie form, it needs the CSRF token.
  let r = await f.post('/settings/mail/resume', '', { cookie });
  assert.equal(r.status, 403);
  r = await f.post('/settings/mail/resume', f.form({ csrf_token: csrfOf(html) }), { cookie });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/settings/notifications?notice=mail_resumed');
  const after = await (await f.get('/settings/notifications?notice=mail_resumed', { cookie })).text();
  assert.match(after, /We will email you again\./);
  assert.doesNotMatch(after, /We stopped emailing you/);
  assert.doesNotMatch(await (await f.get('/', { cookie })).text(), /We stopped emailing you/);
});

test('the API shows a paused account\'s mail and resumes it', async () => {
  const email = 'liaison@demo.roundtable.test';
  await run('sqlite3', [join(srv.dataDir, 'roundtable.db'),
    `UPDATE accounts SET mail_paused_at = 1772366400, mail_pause_reason = '550 gone' WHERE email = '${email}'`]);
  const token = await session(email);
  let r = await call(token, 'GET', '/api/v1/me');
  assert.deepEqual(r.body.account.mail_paused, { since: '2026-03-01T12:00:00Z', reason: '550 gone' });
  r = await call(token, 'DELETE', '/api/v1/me/mail-pause');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { mail_paused: null });
  r = await call(token, 'GET', '/api/v1/me');
  assert.equal(r.body.account.mail_paused, null);
  r = await fetch(srv.base + '/api/v1/me/mail-pause', { method: 'DELETE' });
  assert.equal(r.status, 401);
});

test('a report that the mail failed, sent back to its envelope sender, pauses the member', async () => {
  assert.ok(openingEnvelope, 'the first test captured a mail');
  const paused = async () => (await run('sqlite3', [join(srv.dataDir, 'roundtable.db'),
    `SELECT mail_paused_at IS NOT NULL FROM accounts WHERE email = '${GRANT}'`])).stdout.trim();
  const dsn = readFileSync(join(ROOT, 'tests', 'mail', 'fixtures', 'bounce_dsn.eml'), 'latin1')
    .replaceAll('old.address@riverside.example', GRANT)
    .replaceAll('mail.example.org', DOMAIN);
  const ingest = (recipient, id) => cli(srv.dataDir, ['mail', 'ingest', '--mail-domain', DOMAIN,
    '--recipient', recipient, '--sender', ''], Buffer.from(dsn.replace('8F2C41A3B7@mx', `${id}@mx`), 'latin1'));
  // The same report to the fixed address is a forgery for all we know.
  let r = await ingest(`bounces@${DOMAIN}`, 'forged');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^dropped \(unauthenticated_bounce\)/);
  assert.equal(await paused(), '0');
  r = await ingest(openingEnvelope, 'genuine');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^bounce \(permanent_failure\)/);
  assert.equal(await paused(), '1');
});
