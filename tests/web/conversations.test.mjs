// Private conversations and notifications over plain HTTP: replying
// privately to a post, the inbox, one conversation, form errors, who may
// read a conversation, and the notifications list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../support/server.mjs';
import { formClient, cookieOf, csrfOf } from '../support/forms.mjs';

let srv;
let thread;  // {id, first_post_id, title}: Ana's question in social-work

const ANA = 'active@demo.roundtable.test';      // Ana Active, the post's author
const NORA = 'visitor@demo.roundtable.test';    // Nora Nonmember, who follows up
const GRANT = 'grace@demo.roundtable.test';     // Grant Grace, a third person

const { form, post, get } = formClient(() => srv.base);
// The page's own content, without the header (which counts unread notifications).
const mainOf = (html) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
const count = (html, re) => (html.match(new RegExp(re, 'g')) || []).length;

async function signIn(email) {
  const r = await post('/signin', form({ email, password: DEMO_PASSWORD, next: '/' }));
  assert.equal(r.status, 303);
  return cookieOf(r);
}

async function page(path, cookie, status = 200) {
  const r = await get(path, { cookie });
  assert.equal(r.status, status, path);
  return r.text();
}

async function api(method, path, { token, body } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(srv.base + path, { method, headers, body: body && JSON.stringify(body) });
  return { status: r.status, json: await r.json().catch(() => null) };
}

// Ana opens a question in the open Social Work group through the API.
async function anaAsks(title, body) {
  const session = await api('POST', '/api/v1/session', { body: { email: ANA, password: DEMO_PASSWORD } });
  assert.equal(session.status, 200);
  const token = session.json.token;
  const join = await api('POST', '/api/v1/groups/social-work/membership', { token });
  assert.ok([200, 201].includes(join.status), `join: ${join.status}`);
  const created = await api('POST', '/api/v1/groups/social-work/threads', {
    token, body: { kind: 'question', title, body },
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  return { id: created.json.thread.id, first_post_id: created.json.thread.first_post_id, title };
}

// Nora replies privately to Ana's question; returns the conversation path.
async function noraFollowsUp(cookie, body, key = '') {
  const html = await page(`/posts/${thread.first_post_id}/message`, cookie);
  const fields = { csrf_token: csrfOf(html), post_id: String(thread.first_post_id), body };
  if (key) fields.idempotency_key = key;
  const r = await post('/conversations', form(fields), { cookie });
  assert.equal(r.status, 303);
  const location = r.headers.get('location');
  assert.match(location, /^\/conversations\/\d+\?notice=message_sent#latest$/);
  return location.split('?')[0];
}

before(async () => {
  srv = await startServer();
  thread = await anaAsks('Partnering with a county social worker',
    'Has anyone placed a social worker in a branch two days a week?');
});
after(async () => { await srv?.stop(); });

test('signed-out visitors are sent to sign in and come back', async () => {
  for (const path of ['/conversations', '/notifications', `/posts/${thread.first_post_id}/message`]) {
    const r = await get(path);
    assert.equal(r.status, 303, path);
    assert.equal(r.headers.get('location'), '/signin?next=' + encodeURIComponent(path));
  }
  const r = await post('/notifications/read', '');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/signin?next=' + encodeURIComponent('/notifications'));
});

test('an empty inbox and empty notifications explain themselves', async () => {
  const cookie = await signIn(GRANT);
  const inbox = await page('/conversations', cookie);
  assert.match(inbox, /<h1>Private conversations<\/h1>/);
  assert.match(inbox, /No private conversations yet\. Use “Reply privately” under any post to follow up with its author\./);
  const notes = await page('/notifications', cookie);
  assert.match(notes, /<h1>Notifications<\/h1>/);
  assert.match(notes, /You have no notifications yet/);
  assert.doesNotMatch(notes, /Mark all as read/);
});

test('replying privately starts a conversation only its two people can read', async () => {
  const nora = await signIn(NORA);
  const form1 = await page(`/posts/${thread.first_post_id}/message`, nora);
  assert.equal(count(form1, '<h1>'), 1);
  assert.match(form1, /<h1>Reply privately to Ana Active<\/h1>/);
  assert.match(form1, /<blockquote>[\s\S]*social worker in a branch two days a week[\s\S]*<\/blockquote>/);
  assert.match(form1, /<form method="post" action="\/conversations"/);
  assert.match(form1, new RegExp(`name="post_id" value="${thread.first_post_id}"`));
  assert.match(form1, /<label class="label" for="field-body">Your message<\/label>/);
  assert.match(form1, /Only you and Ana Active can read this conversation\./);
  assert.match(form1, /Send private message/);

  const key = 'test-key-' + Date.now();
  const path = await noraFollowsUp(nora, 'We did! Happy to share **how** it went.', key);
  // The same form sent twice (same key) adds nothing.
  assert.equal(await noraFollowsUp(nora, 'We did! Happy to share **how** it went.', key), path);

  const convo = await page(path + '?notice=message_sent', nora);
  assert.match(convo, /<h1>Conversation with Ana Active<\/h1>/);
  assert.match(convo, /Your message is sent\./);
  assert.match(convo, new RegExp(`About a post in <a href="/posts/${thread.first_post_id}">${thread.title}</a>`));
  assert.equal(count(convo, 'Happy to share'), 1);
  assert.match(convo, /id="latest"/);
  assert.match(convo, /<time datetime="\d{4}-\d\d-\d\dT[^"]+"/);
  assert.match(convo, new RegExp(`action="${path}/messages"`));
  assert.match(convo, /Send message/);

  // Ana sees it in her inbox, unread, and among her notifications.
  const ana = await signIn(ANA);
  const inbox = await page('/conversations', ana);
  assert.match(inbox, new RegExp(`<a href="${path}">Nora Nonmember</a>`));
  assert.match(mainOf(inbox), /1 unread/);
  assert.match(inbox, /We did! Happy to share/);
  const notes = await page('/notifications', ana);
  assert.match(notes, /<span class="visually-hidden">Unread: <\/span><a href="\/conversations\/\d+">Nora Nonmember sent you a private message<\/a>/);
  assert.match(notes, new RegExp(`href="${path}"`));

  // Reading the conversation clears the unread count; Ana answers.
  const anaView = await page(path, ana);
  assert.match(anaView, /<h1>Conversation with Nora Nonmember<\/h1>/);
  assert.match(anaView, /Only you and Nora Nonmember can read this conversation\./);
  assert.doesNotMatch(mainOf(await page('/conversations', ana)), /unread/);
  const reply = await post(path + '/messages', form({ csrf_token: csrfOf(anaView), body: 'Yes please — call me.' }), { cookie: ana });
  assert.equal(reply.status, 303);
  assert.equal(reply.headers.get('location'), path + '?notice=message_sent#latest');
  const noraInbox = await page('/conversations', nora);
  assert.match(mainOf(noraInbox), /1 unread/);
  const both = await page(path, nora);
  assert.ok(both.indexOf('Happy to share') < both.indexOf('call me'), 'oldest first');

  // For anyone else the conversation does not exist, even to write to.
  const grant = await signIn(GRANT);
  const other = await get(path, { cookie: grant });
  assert.equal(other.status, 404);
  assert.match(await other.text(), /Page not found/);
  const grantCsrf = csrfOf(await page('/conversations', grant));
  for (const body of ['Let me in', '']) {
    const w = await post(path + '/messages', form({ csrf_token: grantCsrf, body }), { cookie: grant });
    assert.equal(w.status, 404, `writing ${JSON.stringify(body)}`);
  }
  assert.doesNotMatch(await page(path, nora), /Let me in/);
});

test('an empty message shows the error beside the box and keeps the page', async () => {
  const nora = await signIn(NORA);
  const path = await noraFollowsUp(nora, 'A second thought.');
  const html = await page(path, nora);
  const r = await post(path + '/messages', form({ csrf_token: csrfOf(html), body: '  \n ' }), { cookie: nora });
  assert.equal(r.status, 400);
  const err = await r.text();
  assert.match(err, /<title>Error: Conversation with Ana Active/);
  assert.match(err, /class="error-summary"[\s\S]*There is a problem[\s\S]*<a href="#field-body">/);
  assert.match(err, /<p class="field-error" id="field-body-error">/);
  assert.match(err, /aria-invalid="true"/);
  assert.match(err, /aria-describedby="field-body-hint field-body-error"/);
  assert.match(err, /A second thought\./);  // the conversation is still shown
  assert.equal(count(err, '<h1>'), 1);

  // The same on the "Reply privately" form: the post stays quoted.
  const start = await post('/conversations', form({ csrf_token: csrfOf(html), post_id: String(thread.first_post_id), body: '' }), { cookie: nora });
  assert.equal(start.status, 400);
  const startHtml = await start.text();
  assert.match(startHtml, /<title>Error: Reply privately to Ana Active/);
  assert.match(startHtml, /<a href="#field-body">/);
  assert.match(startHtml, /<blockquote>[\s\S]*two days a week/);
});

test('typed text is kept when a message is refused', async () => {
  const nora = await signIn(NORA);
  const html = await page(`/posts/${thread.first_post_id}/message`, nora);
  // Over the 64 KiB limit: refused, and the text comes back in the box.
  const long = 'word '.repeat(14000);
  const r = await post('/conversations', form({ csrf_token: csrfOf(html), post_id: String(thread.first_post_id), body: long }), { cookie: nora });
  assert.equal(r.status, 400);
  const body = await r.text();
  assert.match(body, /There is a problem/);
  assert.ok(body.includes('<textarea') && body.includes(long.trim()), 'typed text kept');
});

test('refusals: your own post, missing posts and conversations', async () => {
  const ana = await signIn(ANA);
  const own = await get(`/posts/${thread.first_post_id}/message`, { cookie: ana });
  assert.equal(own.status, 422);
  assert.match(await own.text(), /cannot send a private message to yourself/);
  for (const path of ['/posts/999999/message', '/conversations/999999', '/conversations/abc', '/posts/abc/message']) {
    assert.equal((await get(path, { cookie: ana })).status, 404, path);
  }
  const csrf = csrfOf(await page('/conversations', ana));
  const r = await post('/conversations', form({ csrf_token: csrf, post_id: '999999', body: 'Hello?' }), { cookie: ana });
  assert.equal(r.status, 404);
  // Forms need the CSRF token like every other form.
  const noToken = await post('/conversations', form({ post_id: String(thread.first_post_id), body: 'Hi' }), { cookie: ana });
  assert.equal(noToken.status, 403);
});

test('mark all as read clears the unread notifications', async () => {
  const nora = await signIn(NORA);
  await noraFollowsUp(nora, 'One more note for the notifications.');
  const ana = await signIn(ANA);
  const before = await page('/notifications', ana);
  assert.match(before, /You have \d+ unread notifications?\./);
  assert.match(before, /Unread: /);
  assert.match(before, /<form method="post" action="\/notifications\/read"/);
  assert.match(before, /<button type="submit" class="button button--secondary">Mark all as read<\/button>/);
  const upto = before.match(/name="upto" value="(\d+)"/)[1];
  const r = await post('/notifications/read', form({ csrf_token: csrfOf(before), upto }), { cookie: ana });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/notifications?notice=notifications_read');
  const after = await page('/notifications?notice=notifications_read', ana);
  assert.match(after, /All your notifications are marked as read\./);
  assert.match(after, /You have no unread notifications\./);
  assert.doesNotMatch(after, /Unread: /);
  assert.match(after, /Nora Nonmember sent you a private message/);  // still listed, as read
  // A malformed upto is refused rather than guessed at.
  const bad = await post('/notifications/read', form({ csrf_token: csrfOf(before), upto: 'all' }), { cookie: ana });
  assert.equal(bad.status, 400);
});

test('notifications page through older ones', async () => {
  const grant = await signIn(GRANT);
  const r = await get('/notifications?before=1', { cookie: grant });
  assert.equal(r.status, 200);
  const html = await r.text();
  assert.match(html, /There are no older notifications\./);
  assert.match(html, /<a href="\/notifications">Newest notifications<\/a>/);
});

test('long conversations and notification lists come in pages', async () => {
  // Grant writes to Ana 51 times: more than a page of messages
  // (ConversationsService::kMessagesPageSize) and of notifications
  // (NotificationsService::kPageSize), both 50.
  const grant = await signIn(GRANT);
  const first = await page(`/posts/${thread.first_post_id}/message`, grant);
  const csrf = csrfOf(first);
  const start = await post('/conversations', form({ csrf_token: csrf, post_id: String(thread.first_post_id), body: 'Message number 1.' }), { cookie: grant });
  const path = start.headers.get('location').split('?')[0];
  for (let i = 2; i <= 51; i++) {
    const r = await post(path + '/messages', form({ csrf_token: csrf, body: `Message number ${i}.` }), { cookie: grant });
    assert.equal(r.status, 303);
  }
  const p1 = await page(path, grant);
  assert.equal(count(p1, 'Message number'), 50);
  const later = p1.match(/<a href="(\/conversations\/\d+\?after=\d+)" id="latest" rel="next">Later messages<\/a>/);
  assert.ok(later, 'a "Later messages" link that takes the #latest anchor');
  const p2 = await page(later[1], grant);
  assert.equal(count(p2, 'Message number'), 1);
  assert.match(p2, /<li class="message" id="latest">[\s\S]*Message number 51\./);
  assert.match(p2, new RegExp(`<a href="${path}">Earliest messages</a>`));
  assert.doesNotMatch(p2, /Later messages/);

  const ana = await signIn(ANA);
  const n1 = await page('/notifications', ana);
  assert.equal(count(n1, 'Grant Grace sent you a private message'), 50);
  const older = n1.match(/<a href="(\/notifications\?before=\d+)" rel="next">Older notifications<\/a>/);
  assert.ok(older, 'an "Older notifications" link');
  const n2 = await page(older[1], ana);
  assert.match(n2, /Grant Grace sent you a private message/);
  assert.match(n2, /Nora Nonmember sent you a private message/);
  assert.match(n2, /<a href="\/notifications">Newest notifications<\/a>/);
});

test('a long post is quoted only in part on the "Reply privately" form', async () => {
  const para = (word) => Array.from({ length: 40 }, () => word).join(' ');
  const long = await anaAsks('A long question', [para('alpha'), para('bravo'), para('charlie')].join('\n\n'));
  const nora = await signIn(NORA);
  const html = await page(`/posts/${long.first_post_id}/message`, nora);
  const quote = html.match(/<blockquote>([\s\S]*?)<\/blockquote>/)[1];
  assert.match(quote, /alpha/);
  assert.doesNotMatch(quote, /charlie/);
  assert.match(html, new RegExp(`<a href="/posts/${long.first_post_id}">Read the whole post</a>`));
});
