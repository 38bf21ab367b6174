// Notification mail end to end: a reply to a member reaches them through a
// real SMTP server with a one-click List-Unsubscribe (RFC 8058) for reply
// emails, which a mail provider's POST uses without a session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../support/server.mjs';
import { startCapture, unsubscribePath } from '../support/mail_capture.mjs';

const DOMAIN = 'groups.example.test';
const NORA = 'visitor@demo.roundtable.test';
const GRANT = 'grace@demo.roundtable.test';
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
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  if (body) headers['content-type'] = 'application/json';
  const r = await fetch(srv.base + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : {} };
};
const session = async (email) =>
  (await call(null, 'POST', '/api/v1/session', { email, password: DEMO_PASSWORD })).body.token;
const emailSwitches = async (token) =>
  (await call(token, 'GET', '/api/v1/me/notification-settings')).body.email;
let openingPost;  // Nora's question, from the first test
const postMail = (post, to) => (m) => m.rcptTo.includes(to) && m.headers['message-id'] === `<post-${post}@${DOMAIN}>`;

test('a reply notification unsubscribes from reply emails in one click', async () => {
  const nora = await session(NORA);
  const ana = await session('active@demo.roundtable.test');
  const grant = await session(GRANT);
  for (const t of [nora, ana, grant]) {
    const r = await call(t, 'POST', '/api/v1/groups/social-work/membership');
    assert.ok([200, 201].includes(r.status), JSON.stringify(r.body));
  }
  // Grant hears from the group in real time; Nora only about what is said
  // to her.
  assert.equal((await call(grant, 'PATCH', '/api/v1/groups/social-work/membership', { delivery: 'realtime' })).status, 200);
  assert.equal((await call(nora, 'PATCH', '/api/v1/groups/social-work/membership', { delivery: 'none' })).status, 200);
  let r = await call(nora, 'POST', '/api/v1/groups/social-work/threads',
    { kind: 'question', title: 'Who runs a seed library?', body: 'We are starting one.' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const thread = r.body.thread.id;
  openingPost = r.body.post.id;
  r = await call(ana, 'POST', `/api/v1/threads/${thread}/posts`, { body: 'We do, in the lobby.' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const mail = await smtp.waitFor(postMail(r.body.post.id, NORA), 'the reply notification');

  const h = mail.headers;
  assert.match(h['list-unsubscribe'], new RegExp(`^<https://${DOMAIN}/unsubscribe/[A-Za-z0-9_-]{43}>$`));
  assert.equal(h['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
  // Personal mail, not the group's list.
  assert.equal(h['list-id'], undefined);
  assert.equal(h.precedence, undefined);
  assert.equal(h['auto-submitted'], 'auto-generated');
  const url = /<([^>]+)>/.exec(h['list-unsubscribe'])[1];
  assert.ok(mail.parts[0].text.includes(`Stop emails about replies to you and in threads you follow: ${url}`),
    mail.parts[0].text);
  assert.ok(mail.parts[1].text.includes(`<a href="${url}">Stop emails about replies to you and in threads you follow</a>`),
    mail.parts[1].text);
  for (const part of mail.parts) {
    assert.ok(part.text.includes(`https://${DOMAIN}/settings/notifications#email-kinds`), part.text);
  }
  // Grant's group copy of the same post keeps the group's list headers.
  const groupCopy = await smtp.waitFor(postMail(r.body.post.id, GRANT), 'the group mail');
  assert.match(groupCopy.headers['list-id'], new RegExp(`<social-work\\.${DOMAIN.replace(/\./g, '\\.')}>`));
  assert.notEqual(unsubscribePath(groupCopy), unsubscribePath(mail));

  // GET shows what would stop and changes nothing.
  const path = unsubscribePath(mail);
  const page = await fetch(srv.base + path);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Stop emails about replies to you and in threads you follow\?/);
  assert.equal((await emailSwitches(nora)).reply, true);

  // The RFC 8058 POST, as a mail provider sends it: no cookie, no CSRF
  // token, no Origin of ours.
  const one = await fetch(srv.base + path, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example.net' },
    body: 'List-Unsubscribe=One-Click' });
  assert.equal(one.status, 200);
  assert.match(await one.text(), /You will get no more emails about replies/);
  assert.deepEqual(await emailSwitches(nora),
    { reply: false, answer_accepted: true, private_message: true, mention: true, feedback: true, checkin: true });
  // Her group delivery is another setting, and did not move.
  const settings = (await call(nora, 'GET', '/api/v1/me/notification-settings')).body;
  assert.equal(settings.groups.find((g) => g.slug === 'social-work').delivery, 'none');

  // The next reply reaches Grant, as list mail, and not Nora.
  r = await call(ana, 'POST', `/api/v1/threads/${thread}/posts`, { body: 'Come and see it.' });
  assert.equal(r.status, 201);
  await smtp.waitFor(postMail(r.body.post.id, GRANT), 'the next group mail');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.equal(smtp.messages().filter(postMail(r.body.post.id, NORA)).length, 0);

  // The JSON face: repeating is harmless; DELETE undoes it.
  let api = await call(null, 'POST', '/api/v1' + path);
  assert.equal(api.status, 200);
  assert.deepEqual(api.body, { kind: 'reply', email: false, changed: 0 });
  api = await call(null, 'DELETE', '/api/v1' + path);
  assert.equal(api.status, 200);
  assert.deepEqual(api.body, { kind: 'reply', email: true, changed: 1 });
  assert.equal((await emailSwitches(nora)).reply, true);
  r = await call(ana, 'POST', `/api/v1/threads/${thread}/posts`, { body: 'Bring seeds.' });
  assert.equal(r.status, 201);
  await smtp.waitFor(postMail(r.body.post.id, NORA), 'the reply mail, back on');
});

test('a private message carries the link that stops private message emails', async () => {
  assert.ok(openingPost, 'the first test started a thread');
  const nora = await session(NORA);
  const ana = await session('active@demo.roundtable.test');
  const r = await call(ana, 'POST', '/api/v1/conversations', { post_id: openingPost, body: 'Can I visit?' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const mail = await smtp.waitFor((m) => m.rcptTo.includes(NORA) && /^Private message from/.test(m.headers.subject),
    'the private message mail');
  assert.equal(mail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
  assert.equal(mail.headers['list-id'], undefined);
  const path = unsubscribePath(mail);
  assert.match(mail.parts[0].text, /Stop emails about private messages to you: https:/);
  const one = await fetch(srv.base + path, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click' });
  assert.equal(one.status, 200);
  assert.deepEqual(await emailSwitches(nora),
    { reply: true, answer_accepted: true, private_message: false, mention: true, feedback: true, checkin: true });
  // A group's link has no undo: the delivery it replaced is not kept.
  const groupPath = unsubscribePath(await smtp.waitFor((m) => m.rcptTo.includes(GRANT) && m.headers['list-id'], 'a group mail'));
  const undo = await call(null, 'DELETE', '/api/v1' + groupPath);
  assert.equal(undo.status, 422);
  assert.equal(undo.body.error.code, 'undo_not_available');
  // A forged kind token is not found, like any other.
  const forged = await call(null, 'DELETE', '/api/v1/unsubscribe/' + 'B'.repeat(43));
  assert.equal(forged.status, 404);
});
