// The discussions JSON API (threads, posts, answers, recommendations,
// follows, private conversations, notifications) against the real server
// and a real SQLite database. Each `describe` starts its own server with
// fresh demo data, so suites do not depend on one another.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, cli, DEMO_PASSWORD } from '../support/server.mjs';
import { eventually } from '../support/eventually.mjs';

const ANA = 'active@demo.roundtable.test';
const GRANT = 'grace@demo.roundtable.test';
const EVE = 'expired@demo.roundtable.test';
const NORA = 'visitor@demo.roundtable.test';
const LENA = 'liaison@demo.roundtable.test';
const ADMIN = 'admin@demo.roundtable.test';

let seq = 0;
// Pages load exactly one script, our own; anything else is an injection.
const OWN_SCRIPT = '<script src="/static/site.js" defer></script>';
const withoutOwnScript = (html) => {
  assert.equal(html.split(OWN_SCRIPT).length - 1, 1, 'the page loads site.js once');
  return html.replace(OWN_SCRIPT, '');
};
const unique = (what) => `${what} ${Date.now().toString(36)}-${++seq}`;

// One server per describe: call inside a describe body.
function harness() {
  const h = {};
  before(async () => { h.srv = await startServer(); });
  after(async () => { await h.srv?.stop(); });

  // fetch against the server. `token` adds a bearer token; `body` is sent as
  // JSON; `raw` is sent as is (with the given headers).
  h.api = (path, { method = 'GET', body, token, headers = {}, raw } = {}) => {
    const hd = { ...headers };
    if (token) hd.authorization = `Bearer ${token}`;
    let payload = raw;
    if (body !== undefined) {
      hd['content-type'] = hd['content-type'] || 'application/json';
      payload = JSON.stringify(body);
    }
    return fetch(h.srv.base + path, { method, headers: hd, body: payload, redirect: 'manual' });
  };
  // Sends and parses: resolves to {status, body, headers}.
  h.call = async (path, opts) => {
    const r = await h.api(path, opts);
    const text = await r.text();
    let parsed = null;
    if (text) {
      try { parsed = JSON.parse(text); } catch { parsed = text; }
    }
    return { status: r.status, body: parsed, headers: r.headers };
  };
  const tokens = new Map();
  h.signIn = async (email, password = DEMO_PASSWORD) => {
    if (tokens.has(email)) return tokens.get(email);
    const r = await h.call('/api/v1/session', { method: 'POST', body: { email, password } });
    assert.equal(r.status, 200, `sign in as ${email}: ${JSON.stringify(r.body)}`);
    tokens.set(email, r.body.token);
    return r.body.token;
  };
  // A brand-new account with no association membership; returns its token.
  h.freshAccount = async (name = 'Fresh Person') => {
    const email = `fresh${++seq}.${Date.now()}@example.org`;
    const password = 'a long enough passphrase';
    const r = await h.call('/api/v1/accounts', { method: 'POST', body: { name, email, password } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return { token: await h.signIn(email, password), email, id: r.body.account.id };
  };
  h.join = async (token, slug) => {
    const r = await h.call(`/api/v1/groups/${slug}/membership`, { method: 'POST', token });
    assert.ok([200, 201].includes(r.status), `join ${slug}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  h.startThread = async (token, slug, fields = {}, headers = {}) => {
    const body = { kind: 'discussion', title: unique('Thread'), body: 'Opening words.', ...fields };
    const r = await h.call(`/api/v1/groups/${slug}/threads`, { method: 'POST', token, body, headers });
    assert.equal(r.status, 201, `start thread in ${slug}: ${JSON.stringify(r.body)}`);
    return r.body;  // {thread, post}
  };
  h.reply = async (token, threadId, fields = {}, headers = {}) => {
    const r = await h.call(`/api/v1/threads/${threadId}/posts`, {
      method: 'POST', token, body: { body: 'A reply.', ...fields }, headers,
    });
    assert.equal(r.status, 201, `reply to ${threadId}: ${JSON.stringify(r.body)}`);
    return r.body.post;
  };
  h.thread = async (token, id) => {
    const r = await h.call(`/api/v1/threads/${id}`, { token });
    assert.equal(r.status, 200, `thread ${id}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  // Every thread of a group the viewer can list, following `next`.
  h.allThreads = async (token, slug, query = '') => {
    const out = [];
    let after = null;
    for (let page = 0; page < 100; page++) {
      const q = [query, after ? `after=${encodeURIComponent(after)}` : ''].filter(Boolean).join('&');
      const r = await h.call(`/api/v1/groups/${slug}/threads${q ? '?' + q : ''}`, { token });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      out.push(...r.body.threads);
      if (!r.body.next) return out;
      after = r.body.next;
    }
    throw new Error('pagination did not end');
  };
  h.notifications = async (token) => {
    const r = await h.call('/api/v1/notifications', { token });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  // Notifications of new posts arrive shortly after the reply (the outbox
  // worker writes them): waits until `pred` holds for the account's list.
  h.notificationsUntil = (token, pred, what = 'the expected notifications') =>
    eventually(async () => {
      const notes = await h.notifications(token);
      return pred(notes) ? notes : false;
    }, { what });
  // Waits until every post made so far has been fanned out, so that a test
  // can check that somebody was *not* notified: the worker handles posts in
  // order, so once a marker reply posted now has notified its thread's
  // author, every earlier post has been handled too.
  let marker;
  h.settled = async () => {
    if (!marker) {
      const a = await h.freshAccount('Marker Author');
      const b = await h.freshAccount('Marker Replier');
      await h.join(a.token, 'social-work');
      await h.join(b.token, 'social-work');
      const { thread } = await h.startThread(a.token, 'social-work');
      marker = { a: a.token, b: b.token, thread: thread.id };
    }
    const p = await h.reply(marker.b, marker.thread, { body: 'Marker reply.' });
    await h.notificationsUntil(marker.a, (n) => n.notifications.some((x) => x.post_id === p.id),
      'the marker notification');
  };
  return h;
}

const expectError = (r, status, code, what = '') => {
  assert.equal(r.status, status, `${what} ${JSON.stringify(r.body)}`);
  assert.equal(typeof r.body, 'object', `${what}: error body is JSON`);
  assert.equal(r.body?.error?.code, code, `${what} ${JSON.stringify(r.body)}`);
  assert.ok(r.body.error.message.length > 0, `${what}: has a message`);
};

// ---------------------------------------------------------------------------

describe('question flow: ask, answer, accept, follow up privately', () => {
  const h = harness();

  test('Ana asks, Grant answers, Ana accepts and writes to Grant', async () => {
    const ana = await h.signIn(ANA);
    const grant = await h.signIn(GRANT);
    const nora = await h.signIn(NORA);
    await h.join(ana, 'data-measurement');

    const title = unique('How do you count program attendance?');
    const { thread, post: opening } = await h.startThread(ana, 'data-measurement', {
      kind: 'question', title, body: 'We count heads at the door. **Better ideas?**',
    });
    assert.equal(thread.kind, 'question');
    assert.equal(thread.title, title);
    assert.equal(thread.group, 'data-measurement');
    assert.equal(thread.author.name, 'Ana Active');
    assert.equal(thread.answered, false);
    assert.equal(thread.accepted_post_id, null);
    assert.equal(thread.reply_count, 0);
    assert.equal(thread.consent, null);
    assert.equal(thread.first_post_id, opening.id);
    assert.match(opening.body_html, /<strong>Better ideas\?<\/strong>/);

    const unanswered = await h.allThreads(ana, 'data-measurement', 'kind=question&unanswered=1');
    assert.ok(unanswered.some((t) => t.id === thread.id), 'new question is unanswered');

    // Grant cannot even see it before joining the members-only group.
    expectError(await h.call(`/api/v1/threads/${thread.id}/posts`, { method: 'POST', token: grant, body: { body: 'Too early' } }),
      404, 'not_found', 'reply before joining');
    await h.join(grant, 'data-measurement');
    const answer = await h.reply(grant, thread.id, { body: 'Use a **clicker** and sample two weeks.' });
    assert.equal(answer.thread_id, thread.id);
    assert.equal(answer.author.name, 'Grant Grace');
    assert.equal(answer.reply_to, null);
    assert.equal(answer.recommend_count, 0);
    assert.equal(answer.edited_at, null);
    assert.equal(answer.deleted, false);
    assert.match(answer.body_html, /<strong>clicker<\/strong>/);

    // Ana follows her own thread, so she hears about the reply.
    const anaNotes = await h.notificationsUntil(ana,
      (n) => n.notifications.some((x) => x.kind === 'reply' && x.post_id === answer.id));
    const replyNote = anaNotes.notifications.find((n) => n.kind === 'reply' && n.post_id === answer.id);
    assert.ok(replyNote, JSON.stringify(anaNotes));
    assert.equal(replyNote.actor.name, 'Grant Grace');
    assert.equal(replyNote.thread_id, thread.id);
    assert.equal(replyNote.thread_title, title);
    assert.equal(replyNote.read, false);
    assert.ok(anaNotes.unread >= 1);

    // Only the asker (or a moderator) accepts.
    expectError(await h.call(`/api/v1/threads/${thread.id}/answer`, { method: 'POST', token: grant, body: { post_id: answer.id } }),
      403, 'not_the_asker');
    assert.equal((await h.thread(ana, thread.id)).thread.answered, false);

    const accepted = await h.call(`/api/v1/threads/${thread.id}/answer`, { method: 'POST', token: ana, body: { post_id: answer.id } });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal(accepted.body.thread.answered, true);
    assert.equal(accepted.body.thread.accepted_post_id, answer.id);
    assert.equal(accepted.body.accepted_answer.id, answer.id);

    const page = await h.thread(ana, thread.id);
    assert.equal(page.accepted_answer.id, answer.id);
    assert.equal(page.accepted_answer.author.name, 'Grant Grace');
    assert.deepEqual(page.viewer.follow_up.map((f) => f.post_id), [answer.id]);

    const listed = (await h.allThreads(ana, 'data-measurement', 'kind=question')).find((t) => t.id === thread.id);
    assert.equal(listed.answered, true);
    assert.equal(listed.accepted_post_id, answer.id);
    assert.equal(listed.reply_count, 1);
    const stillUnanswered = await h.allThreads(ana, 'data-measurement', 'unanswered=1');
    assert.ok(!stillUnanswered.some((t) => t.id === thread.id), 'answered question left the unanswered filter');

    const grantNotes = await h.notifications(grant);
    const acceptedNote = grantNotes.notifications.find((n) => n.kind === 'answer_accepted');
    assert.ok(acceptedNote, JSON.stringify(grantNotes));
    assert.equal(acceptedNote.post_id, answer.id);
    assert.equal(acceptedNote.thread_id, thread.id);
    assert.equal(acceptedNote.actor.name, 'Ana Active');

    // Private follow-up from the answer.
    const started = await h.call('/api/v1/conversations', { method: 'POST', token: ana, body: { post_id: answer.id, body: 'Thanks! Could you share your sampling sheet?' } });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const convo = started.body.conversation;
    assert.equal(convo.with.name, 'Grant Grace');

    const inbox = await h.call('/api/v1/conversations', { token: grant });
    assert.equal(inbox.status, 200);
    const mine = inbox.body.conversations.find((c) => c.id === convo.id);
    assert.ok(mine, JSON.stringify(inbox.body));
    assert.equal(mine.unread, 1);
    assert.equal(mine.with.name, 'Ana Active');
    assert.match(mine.last_snippet, /Thanks!/);
    const pm = (await h.notifications(grant)).notifications.find((n) => n.kind === 'private_message');
    assert.ok(pm);
    assert.equal(pm.conversation_id, convo.id);
    assert.equal(pm.actor.name, 'Ana Active');

    // Only the two participants can see it.
    expectError(await h.call(`/api/v1/conversations/${convo.id}`, { token: nora }), 404, 'not_found', 'Nora reads');
    expectError(await h.call(`/api/v1/conversations/${convo.id}/messages`, { method: 'POST', token: nora, body: { body: 'hi' } }),
      404, 'not_found', 'Nora writes');
    expectError(await h.call(`/api/v1/conversations/${convo.id}`), 401, 'not_signed_in', 'signed out');
    assert.ok(!(await h.call('/api/v1/conversations', { token: nora })).body.conversations.some((c) => c.id === convo.id));

    // Grant reads it (which marks it read) and answers.
    const read = await h.call(`/api/v1/conversations/${convo.id}`, { token: grant });
    assert.equal(read.status, 200);
    assert.equal(read.body.messages.length, 1);
    assert.equal(read.body.messages[0].about_post, answer.id);
    assert.equal(read.body.messages[0].author.name, 'Ana Active');
    assert.equal((await h.call('/api/v1/conversations', { token: grant })).body.conversations.find((c) => c.id === convo.id).unread, 0);
    const sent = await h.call(`/api/v1/conversations/${convo.id}/messages`, { method: 'POST', token: grant, body: { body: 'Sure, attached.' } });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.equal(sent.body.message.author.name, 'Grant Grace');
    assert.equal((await h.call('/api/v1/conversations', { token: ana })).body.conversations.find((c) => c.id === convo.id).unread, 1);

    // Starting again from the same post continues the same conversation.
    const again = await h.call('/api/v1/conversations', { method: 'POST', token: ana, body: { post_id: answer.id, body: 'One more thing.' } });
    assert.equal(again.status, 201);
    assert.equal(again.body.conversation.id, convo.id);

    // Nora cannot follow up on a post she cannot read.
    expectError(await h.call('/api/v1/conversations', { method: 'POST', token: nora, body: { post_id: answer.id, body: 'Hello?' } }),
      404, 'not_found', 'Nora follows up on a hidden post');

    // Mark everything read.
    assert.ok((await h.notifications(grant)).unread >= 2);
    const mark = await h.call('/api/v1/notifications/read', { method: 'POST', token: grant });
    assert.equal(mark.status, 204);
    const after = await h.notifications(grant);
    assert.equal(after.unread, 0);
    assert.ok(after.notifications.every((n) => n.read));
    expectError(await h.call('/api/v1/notifications'), 401, 'not_signed_in');
  });

  test('conversation start errors', async () => {
    const ana = await h.signIn(ANA);
    const me = (await h.call('/api/v1/me', { token: ana })).body.account;
    expectError(await h.call('/api/v1/conversations', { method: 'POST', token: ana, body: { account_id: me.id, body: 'Hi me' } }),
      422, 'cannot_message_self');
    expectError(await h.call('/api/v1/conversations', { method: 'POST', token: ana, body: { account_id: 99999999, body: 'Hi?' } }),
      404, 'account_not_found');
    expectError(await h.call('/api/v1/conversations', { method: 'POST', token: ana, body: { body: 'Neither' } }),
      400, 'invalid_field', 'neither post_id nor account_id');
    expectError(await h.call('/api/v1/conversations', { method: 'POST', token: ana, body: { post_id: 1, account_id: 1, body: 'Both' } }),
      400, 'invalid_field', 'both');
    expectError(await h.call('/api/v1/conversations', { method: 'POST', body: { account_id: 1, body: 'anon' } }),
      401, 'not_signed_in');
    const nora = await h.signIn(NORA);
    const noraId = (await h.call('/api/v1/me', { token: nora })).body.account.id;
    const r = await h.call('/api/v1/conversations', { method: 'POST', token: ana, body: { account_id: noraId, body: '' } });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.ok(!(await h.call('/api/v1/conversations', { token: nora })).body.conversations.some((c) => c.with.name === 'Ana Active'),
      'a refused start created no conversation');
  });

  test('a moderator may accept an answer; the opening post and foreign posts may not be accepted', async () => {
    const ana = await h.signIn(ANA);
    const grant = await h.signIn(GRANT);
    const lena = await h.signIn(LENA);
    await h.join(ana, 'data-measurement');
    await h.join(grant, 'data-measurement');
    const q = await h.startThread(ana, 'data-measurement', { kind: 'question' });
    const other = await h.startThread(ana, 'data-measurement', { kind: 'question' });
    const foreign = await h.reply(grant, other.thread.id);
    const a = await h.reply(grant, q.thread.id, { body: 'Try this.' });

    expectError(await h.call(`/api/v1/threads/${q.thread.id}/answer`, { method: 'POST', token: ana, body: { post_id: q.post.id } }),
      422, 'not_a_reply', 'accept the question itself');
    expectError(await h.call(`/api/v1/threads/${q.thread.id}/answer`, { method: 'POST', token: ana, body: { post_id: foreign.id } }),
      400, 'invalid_post', 'accept a post of another thread');
    expectError(await h.call(`/api/v1/threads/${q.thread.id}/answer`, { method: 'POST', token: ana, body: { post_id: 99999999 } }),
      400, 'invalid_post', 'accept a missing post');
    expectError(await h.call(`/api/v1/threads/${q.thread.id}/answer`, { method: 'POST', token: ana, body: { post_id: 'x' } }),
      400, 'invalid_field', 'post_id not a number');
    assert.equal((await h.thread(ana, q.thread.id)).thread.answered, false);

    const r = await h.call(`/api/v1/threads/${q.thread.id}/answer`, { method: 'POST', token: lena, body: { post_id: a.id } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.thread.accepted_post_id, a.id);

    // Deleting the accepted answer un-answers the question.
    assert.equal((await h.call(`/api/v1/posts/${a.id}`, { method: 'DELETE', token: grant })).status, 204);
    const page = await h.thread(ana, q.thread.id);
    assert.equal(page.thread.answered, false);
    assert.equal(page.accepted_answer, null);
  });
});

// ---------------------------------------------------------------------------

describe('visibility', () => {
  const h = harness();
  let hidden, open;

  before(async () => {
    const lena = await h.signIn(LENA);  // the liaison may post without joining
    hidden = await h.startThread(lena, 'data-measurement', { title: unique('Members-only thread') });
    await h.reply(lena, hidden.thread.id, { body: 'members-only reply' });
    open = await h.startThread(lena, 'social-work', { title: unique('Public thread') });
    await h.reply(lena, open.thread.id, { body: 'public reply' });
  });

  test('members-only content is 404 for visitors and non-members; the group itself is 200', async () => {
    const nora = await h.signIn(NORA);
    const eve = await h.signIn(EVE);
    for (const [who, token] of [['signed out', undefined], ['Nora', nora], ['Eve', eve]]) {
      const g = await h.call('/api/v1/groups/data-measurement', { token });
      assert.equal(g.status, 200, who);
      assert.equal(g.body.group.slug, 'data-measurement');
      expectError(await h.call('/api/v1/groups/data-measurement/threads', { token }), 404, 'not_found', `${who} lists`);
      expectError(await h.call('/api/v1/groups/data-measurement/threads?kind=question&unanswered=1', { token }), 404, 'not_found', `${who} lists filtered`);
      expectError(await h.call(`/api/v1/threads/${hidden.thread.id}`, { token }), 404, 'not_found', `${who} reads`);
      expectError(await h.call(`/api/v1/posts/${hidden.post.id}/revisions`, { token }), 404, 'not_found', `${who} revisions`);
      expectError(await h.call('/api/v1/groups/data-measurement/recommended', { token }), 404, 'not_found', `${who} recommended`);
      // The refusal for an existing hidden thread equals that for a missing one.
      const missing = await h.call('/api/v1/threads/99999999', { token });
      const real = await h.call(`/api/v1/threads/${hidden.thread.id}`, { token });
      assert.deepEqual(real.body, missing.body, `${who}: hidden looks like missing`);
      // The HTML page does not leak the title either (404, not a sign-in
      // redirect, even when signed out: the thread does not exist for them).
      const html = await h.api(`/threads/${hidden.thread.id}`, { token });
      assert.equal(html.status, 404, who);
      assert.ok(!(await html.text()).includes(hidden.thread.title), `${who}: page leaks title`);
    }
    // Writes are refused the same way, and change nothing.
    expectError(await h.call(`/api/v1/threads/${hidden.thread.id}/posts`, { method: 'POST', token: nora, body: { body: 'hi' } }), 404, 'not_found');
    expectError(await h.call('/api/v1/groups/data-measurement/threads', { method: 'POST', token: nora, body: { title: 'Nora was here', body: 'x' } }), 404, 'not_found');
    expectError(await h.call(`/api/v1/threads/${hidden.thread.id}/follow`, { method: 'POST', token: nora }), 404, 'not_found');
    expectError(await h.call(`/api/v1/posts/${hidden.post.id}/recommendation`, { method: 'POST', token: nora }), 404, 'not_found');
    expectError(await h.call(`/api/v1/posts/${hidden.post.id}`, { method: 'PATCH', token: nora, body: { body: 'defaced' } }), 404, 'not_found');
    expectError(await h.call(`/api/v1/posts/${hidden.post.id}`, { method: 'DELETE', token: nora }), 404, 'not_found');
    const lena = await h.signIn(LENA);
    const page = await h.thread(lena, hidden.thread.id);
    assert.equal(page.thread.reply_count, 1);
    assert.equal(page.posts[0].deleted, false);
    assert.equal(page.posts[0].body, hidden.post.body);
  });

  test('public content is readable signed out; posting needs a sign-in', async () => {
    const list = await h.call('/api/v1/groups/social-work/threads');
    assert.equal(list.status, 200);
    assert.ok(list.body.threads.some((t) => t.id === open.thread.id));
    assert.equal(list.body.viewer.can_post, false);
    assert.equal(list.body.viewer.reason, 'not_signed_in');
    const page = await h.call(`/api/v1/threads/${open.thread.id}`);
    assert.equal(page.status, 200);
    assert.equal(page.body.thread.title, open.thread.title);
    assert.deepEqual(page.body.posts.map((p) => p.body), ['Opening words.', 'public reply']);
    assert.equal(page.body.viewer.can_reply, false);
    assert.equal(page.body.viewer.can_moderate, false);
    assert.equal(page.body.viewer.following, false);
    for (const p of page.body.posts) {
      assert.deepEqual(Object.keys(p).sort(), ['attachments', 'author', 'body', 'body_html', 'created_at', 'deleted', 'edited_at', 'id',
        'recommend_count', 'reply_to', 'reply_to_author', 'thread_id', 'viewer']);
      assert.equal(p.viewer.can_edit, false);
      assert.equal(p.viewer.can_recommend, false);
      assert.match(p.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    expectError(await h.call(`/api/v1/threads/${open.thread.id}/posts`, { method: 'POST', body: { body: 'anon' } }), 401, 'not_signed_in');
    expectError(await h.call('/api/v1/groups/social-work/threads', { method: 'POST', body: { title: 'anon', body: 'anon' } }), 401, 'not_signed_in');
    expectError(await h.call(`/api/v1/threads/${open.thread.id}/follow`, { method: 'POST' }), 401, 'not_signed_in');
    expectError(await h.call(`/api/v1/threads/${open.thread.id}`, { token: 'not-a-real-token' }), 401, 'invalid_token');
    const html = await h.api(`/threads/${open.thread.id}`);
    assert.equal(html.status, 200);
    const text = await html.text();
    assert.ok(text.includes('public reply'));
    // Signed out, the page offers no reply, quote or private-message links.
    assert.ok(!text.includes('?reply_to='), 'no Reply links signed out');
    assert.ok(!text.includes('?quote='), 'no Quote links signed out');
    assert.ok(!text.includes('/message"'), 'no Reply privately links signed out');
    assert.ok(!text.includes('name="csrf-token"'), 'no empty CSRF meta tag signed out');
  });

  test('list and detail agree; no thread shows in the wrong list', async () => {
    const lena = await h.signIn(LENA);
    const nora = await h.signIn(NORA);
    const more = await h.startThread(lena, 'health', { kind: 'question' });
    const byGroup = {};
    for (const slug of ['social-work', 'data-measurement', 'health']) {
      byGroup[slug] = await h.allThreads(lena, slug);
      assert.ok(byGroup[slug].length > 0, slug);
      for (const t of byGroup[slug]) {
        assert.equal(t.group, slug);
        const page = await h.thread(lena, t.id);
        assert.equal(page.thread.id, t.id);
        assert.equal(page.thread.title, t.title);
        assert.equal(page.thread.group, slug);
        assert.equal(page.thread.reply_count, t.reply_count);
        assert.equal(page.posts[0].id, t.first_post_id);
      }
    }
    const sets = Object.fromEntries(Object.entries(byGroup).map(([k, v]) => [k, new Set(v.map((t) => t.id))]));
    assert.ok(sets['data-measurement'].has(hidden.thread.id));
    assert.ok(sets.health.has(more.thread.id));
    assert.ok(!sets['social-work'].has(hidden.thread.id));
    assert.ok(!sets['social-work'].has(more.thread.id));
    assert.ok(!sets.health.has(hidden.thread.id));
    // What Nora and a visitor see of social-work is exactly the public list.
    for (const token of [nora, undefined]) {
      const seen = await h.allThreads(token, 'social-work');
      assert.deepEqual(seen.map((t) => t.id).sort(), [...sets['social-work']].sort());
      for (const t of seen) assert.equal((await h.call(`/api/v1/threads/${t.id}`, { token })).status, 200);
    }
    // The recommended list follows the same rule.
    assert.equal((await h.call('/api/v1/groups/social-work/recommended')).status, 200);
    assert.equal((await h.call('/api/v1/groups/health/recommended', { token: lena })).status, 200);
  });
});

// ---------------------------------------------------------------------------

describe('refusals', () => {
  const h = harness();

  test('posting in a group you have not joined is 403 not_group_member', async () => {
    const lena = await h.signIn(LENA);
    const stranger = await h.freshAccount('Sam Stranger');
    const t = await h.startThread(lena, 'social-work');
    const before = await h.allThreads(stranger.token, 'social-work');
    expectError(await h.call('/api/v1/groups/social-work/threads', { method: 'POST', token: stranger.token, body: { title: unique('Stranger'), body: 'hi' } }),
      403, 'not_group_member', 'start thread');
    expectError(await h.call(`/api/v1/threads/${t.thread.id}/posts`, { method: 'POST', token: stranger.token, body: { body: 'hi' } }),
      403, 'not_group_member', 'reply');
    expectError(await h.call(`/api/v1/posts/${t.post.id}/recommendation`, { method: 'POST', token: stranger.token }),
      403, 'not_group_member', 'recommend');
    const list = await h.call('/api/v1/groups/social-work/threads', { token: stranger.token });
    assert.equal(list.body.viewer.can_post, false);
    assert.equal(list.body.viewer.reason, 'not_group_member');
    assert.deepEqual(await h.allThreads(stranger.token, 'social-work'), before);
    assert.equal((await h.thread(lena, t.thread.id)).thread.reply_count, 0);
    // Following only needs read access.
    const f = await h.call(`/api/v1/threads/${t.thread.id}/follow`, { method: 'POST', token: stranger.token });
    assert.equal(f.status, 200);
    // After joining the open group, the same requests work.
    await h.join(stranger.token, 'social-work');
    await h.reply(stranger.token, t.thread.id, { body: 'Now I can.' });
  });

  test('a member whose association membership lapsed can read but not post (membership_expired)', async () => {
    // Eve cannot join a members-only group as seeded; give her a current
    // membership, join, then let it lapse through the CSV import.
    const csv = join(h.srv.dataDir, 'eve.csv');
    writeFileSync(csv, `email,member_type,paid_through\n${EVE},Personal,2099-12-31\n`);
    let out = await cli(h.srv.dataDir, ['members', 'import', csv, '--association', 'pla']);
    assert.equal(out.code, 0, out.stderr);
    const eve = await h.signIn(EVE);
    await h.join(eve, 'health');
    const lena = await h.signIn(LENA);
    const t = await h.startThread(lena, 'health');
    writeFileSync(csv, `email,member_type,paid_through\n${EVE},Personal,2020-01-31\n`);
    out = await cli(h.srv.dataDir, ['members', 'import', csv, '--association', 'pla']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /1 updated/);

    const page = await h.thread(eve, t.thread.id);  // still readable
    assert.equal(page.viewer.can_reply, false);
    assert.equal(page.viewer.reason, 'membership_expired');
    const r = await h.call(`/api/v1/threads/${t.thread.id}/posts`, { method: 'POST', token: eve, body: { body: 'Still here' } });
    expectError(r, 403, 'membership_expired', 'reply');
    assert.match(r.body.error.message, /ended on/);
    expectError(await h.call('/api/v1/groups/health/threads', { method: 'POST', token: eve, body: { title: unique('Eve'), body: 'x' } }),
      403, 'membership_expired', 'start thread');
    expectError(await h.call(`/api/v1/posts/${t.post.id}/recommendation`, { method: 'POST', token: eve }),
      403, 'membership_expired', 'recommend');
    assert.equal((await h.thread(lena, t.thread.id)).thread.reply_count, 0);
  });

  test('locked threads take no replies except from moderators; only moderators pin and lock', async () => {
    const nora = await h.signIn(NORA);
    const lena = await h.signIn(LENA);
    await h.join(nora, 'social-work');
    const t = await h.startThread(nora, 'social-work', { title: unique('Lock me') });

    expectError(await h.call(`/api/v1/threads/${t.thread.id}/locked`, { method: 'PUT', token: nora, body: { locked: true } }), 403, 'not_moderator', 'lock');
    expectError(await h.call(`/api/v1/threads/${t.thread.id}/pinned`, { method: 'PUT', token: nora, body: { pinned: true } }), 403, 'not_moderator', 'pin');
    expectError(await h.call(`/api/v1/threads/${t.thread.id}/locked`, { method: 'PUT', body: { locked: true } }), 401, 'not_signed_in', 'anon lock');
    expectError(await h.call(`/api/v1/threads/${t.thread.id}/locked`, { method: 'PUT', token: lena, body: { locked: 'yes' } }), 400, 'invalid_field', 'locked not bool');
    expectError(await h.call(`/api/v1/threads/${t.thread.id}/pinned`, { method: 'PUT', token: lena, body: {} }), 400, 'invalid_field', 'pinned missing');
    let listed = (await h.allThreads(nora, 'social-work')).find((x) => x.id === t.thread.id);
    assert.equal(listed.locked, false);
    assert.equal(listed.pinned, false);

    const lock = await h.call(`/api/v1/threads/${t.thread.id}/locked`, { method: 'PUT', token: lena, body: { locked: true } });
    assert.equal(lock.status, 200);
    assert.deepEqual(lock.body, { locked: true });
    const r = await h.call(`/api/v1/threads/${t.thread.id}/posts`, { method: 'POST', token: nora, body: { body: 'Let me in' } });
    expectError(r, 422, 'thread_locked');
    const page = await h.thread(nora, t.thread.id);
    assert.equal(page.thread.locked, true);
    assert.equal(page.viewer.can_reply, false);
    assert.equal(page.viewer.reason, 'thread_locked');
    assert.equal(page.thread.reply_count, 0);
    const modReply = await h.reply(lena, t.thread.id, { body: 'Locked: see the new thread.' });
    assert.equal(modReply.author.name, 'Lena Liaison');
    assert.equal((await h.thread(lena, t.thread.id)).viewer.can_reply, true);

    const pin = await h.call(`/api/v1/threads/${t.thread.id}/pinned`, { method: 'PUT', token: lena, body: { pinned: true } });
    assert.deepEqual(pin.body, { pinned: true });
    await h.startThread(lena, 'social-work', { title: unique('Newer, unpinned') });
    const first = (await h.call('/api/v1/groups/social-work/threads', { token: nora })).body.threads[0];
    assert.equal(first.id, t.thread.id, 'pinned thread sorts first');
    assert.equal(first.pinned, true);

    await h.call(`/api/v1/threads/${t.thread.id}/locked`, { method: 'PUT', token: lena, body: { locked: false } });
    await h.call(`/api/v1/threads/${t.thread.id}/pinned`, { method: 'PUT', token: lena, body: { pinned: false } });
    await h.reply(nora, t.thread.id, { body: 'Unlocked again.' });
    listed = (await h.allThreads(nora, 'social-work')).find((x) => x.id === t.thread.id);
    assert.equal(listed.locked, false);
    assert.equal(listed.pinned, false);
    assert.equal(listed.reply_count, 2);
  });

  test('only authors edit; authors and moderators delete', async () => {
    const ana = await h.signIn(ANA);
    const grant = await h.signIn(GRANT);
    const lena = await h.signIn(LENA);
    const nora = await h.signIn(NORA);
    await h.join(ana, 'social-work');
    await h.join(grant, 'social-work');
    await h.join(nora, 'social-work');
    const t = await h.startThread(ana, 'social-work');
    const p = await h.reply(grant, t.thread.id, { body: 'Grant original' });

    expectError(await h.call(`/api/v1/posts/${p.id}`, { method: 'PATCH', token: ana, body: { body: 'Ana edits Grant' } }), 403, 'not_author', 'edit');
    expectError(await h.call(`/api/v1/posts/${p.id}`, { method: 'PATCH', token: lena, body: { body: 'Lena edits Grant' } }), 403, 'not_author', 'moderator edit');
    expectError(await h.call(`/api/v1/posts/${p.id}`, { method: 'DELETE', token: ana }), 403, 'not_author', 'delete');
    expectError(await h.call(`/api/v1/posts/${p.id}`, { method: 'DELETE', token: nora }), 403, 'not_author', 'delete by another member');
    expectError(await h.call(`/api/v1/posts/${p.id}`, { method: 'PATCH', body: { body: 'anon' } }), 401, 'not_signed_in', 'anon edit');
    const page = await h.thread(ana, t.thread.id);
    const seen = page.posts.find((x) => x.id === p.id);
    assert.equal(seen.body, 'Grant original');
    assert.equal(seen.edited_at, null);
    assert.equal(seen.viewer.can_edit, false);
    assert.equal(seen.viewer.can_delete, false);
    assert.equal((await h.thread(grant, t.thread.id)).posts.find((x) => x.id === p.id).viewer.can_edit, true);
    assert.equal((await h.thread(lena, t.thread.id)).posts.find((x) => x.id === p.id).viewer.can_delete, true);

    // A moderator removes it.
    assert.equal((await h.api(`/api/v1/posts/${p.id}`, { method: 'DELETE', token: lena })).status, 204);
    const after = await h.thread(ana, t.thread.id);
    assert.equal(after.posts.find((x) => x.id === p.id).deleted, true);
    assert.equal(after.thread.reply_count, 0);
    // A removed post cannot be edited, recommended or deleted again.
    expectError(await h.call(`/api/v1/posts/${p.id}`, { method: 'PATCH', token: grant, body: { body: 'resurrect' } }), 404, 'not_found', 'edit deleted');
    expectError(await h.call(`/api/v1/posts/${p.id}/recommendation`, { method: 'POST', token: ana }), 404, 'not_found', 'recommend deleted');
    expectError(await h.call(`/api/v1/posts/${p.id}`, { method: 'DELETE', token: grant }), 404, 'not_found', 'delete twice');
    assert.equal((await h.thread(ana, t.thread.id)).thread.reply_count, 0);
  });

  test('deleting a post in a group you cannot see is 404', async () => {
    const lena = await h.signIn(LENA);
    const nora = await h.signIn(NORA);
    const t = await h.startThread(lena, 'data-measurement');
    const p = await h.reply(lena, t.thread.id, { body: 'hidden reply' });
    expectError(await h.call(`/api/v1/posts/${p.id}`, { method: 'DELETE', token: nora }), 404, 'not_found');
    expectError(await h.call(`/api/v1/posts/${p.id}`, { method: 'DELETE' }), 404, 'not_found', 'signed out');
    const page = await h.thread(lena, t.thread.id);
    assert.equal(page.posts.find((x) => x.id === p.id).deleted, false);
    assert.equal(page.thread.reply_count, 1);
  });

  test('accepting an answer on a discussion is 422 not_a_question', async () => {
    const ana = await h.signIn(ANA);
    const grant = await h.signIn(GRANT);
    await h.join(ana, 'social-work');
    await h.join(grant, 'social-work');
    const t = await h.startThread(ana, 'social-work', { kind: 'discussion' });
    const p = await h.reply(grant, t.thread.id);
    expectError(await h.call(`/api/v1/threads/${t.thread.id}/answer`, { method: 'POST', token: ana, body: { post_id: p.id } }), 422, 'not_a_question');
    const page = await h.thread(ana, t.thread.id);
    assert.equal(page.thread.answered, false);
    assert.equal(page.posts.find((x) => x.id === p.id).viewer.can_accept, false);
  });

  test('recommendations: not your own, once per person, and undo', async () => {
    const ana = await h.signIn(ANA);
    const grant = await h.signIn(GRANT);
    const nora = await h.signIn(NORA);
    for (const tok of [ana, grant, nora]) await h.join(tok, 'social-work');
    const t = await h.startThread(ana, 'social-work', { title: unique('Recommend me') });
    const p = await h.reply(ana, t.thread.id, { body: 'A reply worth recommending.' });

    expectError(await h.call(`/api/v1/posts/${p.id}/recommendation`, { method: 'POST', token: ana }), 422, 'own_post');
    expectError(await h.call(`/api/v1/posts/${p.id}/recommendation`, { method: 'POST' }), 401, 'not_signed_in');

    for (let i = 0; i < 2; i++) {
      const r = await h.call(`/api/v1/posts/${p.id}/recommendation`, { method: 'POST', token: grant });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { recommended: true, recommend_count: 1 }, `recommend #${i + 1}`);
    }
    const both = await Promise.all([1, 2, 3].map(() => h.call(`/api/v1/posts/${p.id}/recommendation`, { method: 'POST', token: grant })));
    for (const r of both) assert.equal(r.body.recommend_count, 1);
    const byNora = await h.call(`/api/v1/posts/${p.id}/recommendation`, { method: 'POST', token: nora });
    assert.equal(byNora.body.recommend_count, 2);

    let page = await h.thread(grant, t.thread.id);
    let item = page.posts.find((x) => x.id === p.id);
    assert.equal(item.recommend_count, 2);
    assert.equal(item.viewer.recommended, true);
    assert.equal((await h.thread(ana, t.thread.id)).posts.find((x) => x.id === p.id).viewer.can_recommend, false);

    const top = await h.call('/api/v1/groups/social-work/recommended');
    assert.equal(top.status, 200);
    const rec = top.body.posts.find((x) => x.id === p.id);
    assert.ok(rec, JSON.stringify(top.body));
    assert.equal(rec.recommend_count, 2);
    assert.equal(rec.thread_title, t.thread.title);

    for (let i = 0; i < 2; i++) {
      const r = await h.call(`/api/v1/posts/${p.id}/recommendation`, { method: 'DELETE', token: grant });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { recommended: false, recommend_count: 1 }, `undo #${i + 1}`);
    }
    page = await h.thread(grant, t.thread.id);
    item = page.posts.find((x) => x.id === p.id);
    assert.equal(item.recommend_count, 1);
    assert.equal(item.viewer.recommended, false);
  });

  test('follow and unfollow', async () => {
    const lena = await h.signIn(LENA);
    const nora = await h.signIn(NORA);
    await h.join(nora, 'social-work');
    const t = await h.startThread(lena, 'social-work');
    assert.equal((await h.thread(nora, t.thread.id)).viewer.following, false);
    assert.equal((await h.thread(lena, t.thread.id)).viewer.following, true, 'authors follow their threads');
    for (let i = 0; i < 2; i++) {
      const r = await h.call(`/api/v1/threads/${t.thread.id}/follow`, { method: 'POST', token: nora });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { following: true });
    }
    assert.equal((await h.thread(nora, t.thread.id)).viewer.following, true);
    const before = (await h.notifications(nora)).notifications.length;
    const p = await h.reply(lena, t.thread.id, { body: 'Followers hear about this.' });
    const notes = (await h.notificationsUntil(nora, (n) => n.notifications.length > before)).notifications;
    assert.equal(notes.length, before + 1);
    assert.equal(notes[0].kind, 'reply');
    assert.equal(notes[0].post_id, p.id);

    const un = await h.call(`/api/v1/threads/${t.thread.id}/follow`, { method: 'DELETE', token: nora });
    assert.deepEqual(un.body, { following: false });
    assert.equal((await h.thread(nora, t.thread.id)).viewer.following, false);
    await h.reply(lena, t.thread.id, { body: 'Nora no longer hears this.' });
    await h.settled();
    assert.equal((await h.notifications(nora)).notifications.length, before + 1);
  });
});

// ---------------------------------------------------------------------------

describe('bad input changes nothing', () => {
  const h = harness();
  let ana, t, other;

  before(async () => {
    ana = await h.signIn(ANA);
    await h.join(ana, 'social-work');
    t = await h.startThread(ana, 'social-work', { title: unique('Target') });
    other = await h.startThread(ana, 'social-work', { title: unique('Other') });
    await h.reply(ana, t.thread.id, { body: 'first reply' });
  });

  const snapshot = async () => {
    const list = await h.allThreads(ana, 'social-work');
    const page = await h.thread(ana, t.thread.id);
    return { list: list.map((x) => [x.id, x.title, x.reply_count, x.last_activity_at]), posts: page.posts.map((p) => [p.id, p.body]) };
  };

  test('new-thread input errors', async () => {
    const before = await snapshot();
    const url = '/api/v1/groups/social-work/threads';
    const cases = [
      ['empty title', { body: { title: '', body: 'x' } }, 400, null, /title/i],
      ['blank title', { body: { title: '   \t ', body: 'x' } }, 400, null, /title/i],
      ['201-character title', { body: { title: 'x'.repeat(201), body: 'x' } }, 400, null, /title/i],
      ['201 code points of emoji', { body: { title: '😀'.repeat(201), body: 'x' } }, 400, null, /title/i],
      ['control character in title', { body: { title: 'bell\u0007', body: 'x' } }, 400, null, /title/i],
      ['missing body', { body: { title: unique('No body') } }, 400, null, /body/i],
      ['blank body', { body: { title: unique('Blank body'), body: ' \n\t ' } }, 400, null, /body/i],
      ['NUL in body', { body: { title: unique('NUL'), body: 'a\u0000b' } }, 400, null, /body/i],
      ['body over 64 KiB', { body: { title: unique('Big'), body: 'a'.repeat(64 * 1024 + 1) } }, 413, 'too_large', /body/i],
      ['title not a string', { body: { title: 42, body: 'x' } }, 400, 'invalid_field', /title/],
      ['invalid kind', { body: { kind: 'poll', title: unique('Poll'), body: 'x' } }, 400, 'invalid_kind', /discussion/],
      ['invalid consent', { body: { kind: 'story', consent: 'everyone', title: unique('Story'), body: 'x' } }, 400, 'invalid_consent', /./],
      ['malformed JSON', { raw: '{"title": "x", ', headers: { 'content-type': 'application/json' } }, 400, 'malformed_json', /JSON/],
      ['invalid UTF-8', { raw: Buffer.from([0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), headers: { 'content-type': 'application/json' } }, 400, 'malformed_json', /./],
      ['not an object', { body: ['title', 'body'] }, 400, 'expected_object', /object/],
      ['wrong content type', { raw: JSON.stringify({ title: unique('Form'), body: 'x' }), headers: { 'content-type': 'text/plain' } }, 415, 'unsupported_media_type', /json/i],
      ['form-encoded', { raw: 'title=hello&body=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type', /json/i],
      ['idempotency key too long', { body: { title: unique('Key'), body: 'x' }, headers: { 'idempotency-key': 'k'.repeat(129) } }, 400, 'invalid_idempotency_key', /./],
    ];
    for (const [what, opts, status, code, message] of cases) {
      const r = await h.call(url, { method: 'POST', token: ana, ...opts });
      assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)?.slice(0, 300)}`);
      if (code) assert.equal(r.body.error.code, code, what);
      assert.match(r.body.error.message + ' ' + (r.body.error.field ?? ''), message, what);
    }
    assert.deepEqual(await snapshot(), before);
  });

  test('limits are exact: a 200-code-point title and a 64 KiB body are accepted', async () => {
    const title = '😀'.repeat(199) + 'é';
    const { thread } = await h.startThread(ana, 'social-work', { title, body: 'b'.repeat(64 * 1024) });
    assert.equal(thread.title, title);
    assert.equal((await h.thread(ana, thread.id)).posts[0].body.length, 64 * 1024);
    const spaced = await h.startThread(ana, 'social-work', { title: '  padded title  ' });
    assert.equal(spaced.thread.title, 'padded title', 'titles are trimmed');
  });

  test('reply input errors', async () => {
    const before = await snapshot();
    const foreign = other.post.id;
    const url = `/api/v1/threads/${t.thread.id}/posts`;
    const cases = [
      ['reply_to in another thread', { body: { body: 'x', reply_to: foreign } }, 400, 'invalid_reply_to'],
      ['reply_to missing post', { body: { body: 'x', reply_to: 99999999 } }, 400, 'invalid_reply_to'],
      ['reply_to not a number', { body: { body: 'x', reply_to: 'abc' } }, 400, 'invalid_field'],
      ['reply_to negative', { body: { body: 'x', reply_to: -5 } }, 400, 'invalid_field'],
      ['reply_to fractional', { body: { body: 'x', reply_to: 1.5 } }, 400, 'invalid_field'],
      ['empty body', { body: { body: '' } }, 400, null],
      ['body not a string', { body: { body: ['x'] } }, 400, 'invalid_field'],
      ['body over 64 KiB', { body: { body: '€'.repeat(22 * 1024) } }, 413, 'too_large'],
      ['malformed JSON', { raw: '{"body": ', headers: { 'content-type': 'application/json' } }, 400, 'malformed_json'],
      ['wrong content type', { raw: '{"body":"x"}', headers: { 'content-type': 'text/plain' } }, 415, 'unsupported_media_type'],
      ['no content type', { raw: '{"body":"x"}' }, 415, 'unsupported_media_type'],
    ];
    for (const [what, opts, status, code] of cases) {
      const r = await h.call(url, { method: 'POST', token: ana, ...opts });
      assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)?.slice(0, 300)}`);
      if (code) assert.equal(r.body.error.code, code, what);
    }
    // Edits are validated the same way and leave the post alone.
    const first = before.posts[1][0];
    const emptyEdit = await h.call(`/api/v1/posts/${first}`, { method: 'PATCH', token: ana, body: { body: '' } });
    assert.equal(emptyEdit.status, 400, JSON.stringify(emptyEdit.body));
    expectError(await h.call(`/api/v1/posts/${first}`, { method: 'PATCH', token: ana, body: { body: 'y'.repeat(64 * 1024 + 1) } }), 413, 'too_large', 'huge edit');
    assert.deepEqual(await snapshot(), before);
  });

  test('ids in paths and cursors', async () => {
    const before = await snapshot();
    for (const bad of ['abc', '0', '-1', '1e3', '12abc', '%31', '99999999', '9999999999999999999999', ' 1']) {
      const enc = encodeURIComponent(bad);
      expectError(await h.call(`/api/v1/threads/${enc}`, { token: ana }), 404, 'not_found', `GET thread ${bad}`);
      expectError(await h.call(`/api/v1/threads/${enc}/posts`, { method: 'POST', token: ana, body: { body: 'x' } }), 404, 'not_found', `reply ${bad}`);
      expectError(await h.call(`/api/v1/posts/${enc}`, { method: 'PATCH', token: ana, body: { body: 'x' } }), 404, 'not_found', `edit ${bad}`);
      expectError(await h.call(`/api/v1/posts/${enc}`, { method: 'DELETE', token: ana }), 404, 'not_found', `delete ${bad}`);
      expectError(await h.call(`/api/v1/posts/${enc}/revisions`, { token: ana }), 404, 'not_found', `revisions ${bad}`);
      expectError(await h.call(`/api/v1/threads/${enc}/locked`, { method: 'PUT', token: ana, body: { locked: true } }), 404, 'not_found', `lock ${bad}`);
      expectError(await h.call(`/api/v1/conversations/${enc}`, { token: ana }), 404, 'not_found', `conversation ${bad}`);
    }
    expectError(await h.call('/api/v1/groups/no-such-group/threads', { token: ana }), 404, 'group_not_found');
    for (const after of ['garbage', '0.1', '2.1.1', '0.x.1', '0.1.', '0..1', '0.-5.3', '1.1.0']) {
      expectError(await h.call(`/api/v1/groups/social-work/threads?after=${encodeURIComponent(after)}`, { token: ana }), 400, 'invalid_cursor', `after=${after}`);
    }
    expectError(await h.call(`/api/v1/threads/${t.thread.id}?after=xyz`, { token: ana }), 400, 'invalid_cursor', 'thread after');
    expectError(await h.call('/api/v1/groups/social-work/threads?kind=poll', { token: ana }), 400, 'invalid_kind');
    expectError(await h.call('/api/v1/groups/social-work/threads?consent=everyone', { token: ana }), 400, 'invalid_consent');
    assert.deepEqual(await snapshot(), before);
  });
});

// ---------------------------------------------------------------------------

describe('idempotency', () => {
  const h = harness();

  test('a retried new thread with the same Idempotency-Key creates one thread', async () => {
    const ana = await h.signIn(ANA);
    await h.join(ana, 'social-work');
    const title = unique('Retried thread');
    const headers = { 'idempotency-key': `thread-${title}` };
    const a = await h.startThread(ana, 'social-work', { title }, headers);
    const b = await h.startThread(ana, 'social-work', { title }, headers);
    assert.equal(b.thread.id, a.thread.id);
    assert.equal(b.post.id, a.post.id);
    const list = await h.allThreads(ana, 'social-work');
    assert.equal(list.filter((t) => t.title === title).length, 1);
    // Another key is another thread.
    const c = await h.startThread(ana, 'social-work', { title }, { 'idempotency-key': `other-${title}` });
    assert.notEqual(c.thread.id, a.thread.id);
    assert.equal((await h.allThreads(ana, 'social-work')).filter((t) => t.title === title).length, 2);
  });

  test('a retried reply with the same Idempotency-Key creates one post', async () => {
    const ana = await h.signIn(ANA);
    const grant = await h.signIn(GRANT);
    await h.join(ana, 'social-work');
    await h.join(grant, 'social-work');
    const { thread } = await h.startThread(ana, 'social-work');
    const headers = { 'idempotency-key': `reply-${thread.id}` };
    const a = await h.reply(grant, thread.id, { body: 'Once only' }, headers);
    const b = await h.reply(grant, thread.id, { body: 'Once only' }, headers);
    assert.equal(b.id, a.id);
    let page = await h.thread(ana, thread.id);
    assert.equal(page.thread.reply_count, 1);
    assert.equal(page.posts.filter((p) => p.body === 'Once only').length, 1);
    // Ana hears about it once.
    await h.settled();
    const notes = (await h.notifications(ana)).notifications.filter((n) => n.thread_id === thread.id && n.kind === 'reply');
    assert.equal(notes.length, 1);
    // The same key from someone else is their own key.
    const c = await h.reply(ana, thread.id, { body: 'Ana, same key' }, headers);
    assert.notEqual(c.id, a.id);
    page = await h.thread(ana, thread.id);
    assert.equal(page.thread.reply_count, 2);
  });

  test('concurrent retries with one key still create one post', async () => {
    const ana = await h.signIn(ANA);
    const grant = await h.signIn(GRANT);
    await h.join(ana, 'social-work');
    await h.join(grant, 'social-work');
    const { thread } = await h.startThread(ana, 'social-work');
    const headers = { 'idempotency-key': `race-${thread.id}` };
    const results = await Promise.all([1, 2, 3, 4].map(() => h.call(`/api/v1/threads/${thread.id}/posts`, {
      method: 'POST', token: grant, body: { body: 'Racing' }, headers,
    })));
    for (const r of results) assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(new Set(results.map((r) => r.body.post.id)).size, 1);
    assert.equal((await h.thread(ana, thread.id)).thread.reply_count, 1);
  });
});

// ---------------------------------------------------------------------------

describe('markdown, XSS, edits and deletes', () => {
  const h = harness();
  let ana, lena;
  before(async () => {
    ana = await h.signIn(ANA);
    lena = await h.signIn(LENA);
    await h.join(ana, 'social-work');
  });

  // No executable HTML: no script/iframe/object/embed/svg/style/form tags,
  // no on* attributes, no href/src outside http(s), mailto and relative.
  // Tags are split into attributes properly, so text inside a quoted
  // attribute value (a title="... onmouseover=...") is not mistaken for one.
  const tagsOf = (html) => [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g)]
    .map(([whole, name, attrs]) => ({
      whole, name: name.toLowerCase(),
      attrs: [...attrs.matchAll(/\s+([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)]
        .map(([, k, v]) => [k.toLowerCase(), (v ?? '').replace(/^["']|["']$/g, '')]),
    }));
  const decode = (v) => v.replace(/&#x([0-9a-f]+);?/gi, (_, x) => String.fromCodePoint(parseInt(x, 16)))
    .replace(/&#([0-9]+);?/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&colon;/gi, ':').replace(/&tab;/gi, '\t').replace(/&newline;/gi, '\n').replace(/&amp;/g, '&');
  const assertInert = (html, what) => {
    assert.doesNotMatch(html, /<\s*\/?\s*(script|iframe|object|embed|svg|math|style|form|meta|base|link|img|details)\b/i, `${what}: ${html}`);
    for (const tag of tagsOf(html)) {
      for (const [k, v] of tag.attrs) {
        assert.ok(!k.startsWith('on'), `${what}: event handler in ${tag.whole}`);
        assert.ok(k !== 'style' && k !== 'srcdoc', `${what}: ${k} in ${tag.whole}`);
        if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(k)) {
          const u = decode(v).replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
          assert.ok(/^(https?:|mailto:|\/|#|\?|[^:]*$)/.test(u), `${what}: unsafe URL ${v} in ${tag.whole}`);
        }
      }
    }
  };

  test('script, javascript: links and event handlers never reach body_html', async () => {
    const vectors = [
      '<script>alert(1)</script>',
      '[x](javascript:alert(1))',
      '<img src=x onerror=alert(1)>',
    ];
    const { thread } = await h.startThread(ana, 'social-work', { title: unique('XSS'), body: vectors.join('\n\n') });
    const posts = [];
    for (const v of vectors) posts.push(await h.reply(ana, thread.id, { body: v }));
    const page = await h.thread(ana, thread.id);
    for (const p of [...posts, ...page.posts]) {
      assert.doesNotMatch(p.body_html, /<script/i, p.body_html);
      assert.doesNotMatch(p.body_html, /javascript:/i, p.body_html);
      // Raw HTML comes back as visible, escaped text ("&lt;img ... onerror=...&gt;"),
      // which is harmless: what matters is that no tag carries the handler.
      assert.doesNotMatch(p.body_html, /<[^>]*onerror/i, p.body_html);
      assert.doesNotMatch(p.body_html, /<img/i, p.body_html);
      assertInert(p.body_html, p.body);
    }
    // The source comes back as written.
    assert.deepEqual(posts.map((p) => p.body), vectors);
    for (const v of vectors) {
      const r = await h.call('/api/v1/preview', { method: 'POST', token: ana, body: { body: v } });
      assert.equal(r.status, 200);
      assert.doesNotMatch(r.body.html, /<script|javascript:|<[^>]*onerror/i, r.body.html);
    }
  });

  test('more vectors stay inert in body_html, previews and messages', async () => {
    const vectors = [
      '<a href="javascript:alert(1)">click</a>',
      '[x](JaVaScRiPt:alert(1))',
      '[x](java\tscript:alert(1))',
      '[x](&#106;avascript:alert(1))',
      '[x](javascript&colon;alert(1))',
      '[x]( javascript:alert(1))',
      '![x](javascript:alert(1))',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[x](vbscript:msgbox(1))',
      '<javascript:alert(1)>',
      '[ref]\n\n[ref]: javascript:alert(1)',
      '<svg onload=alert(1)>',
      '<iframe src="https://evil.example"></iframe>',
      '<details open ontoggle=alert(1)>',
      '<div style="background:url(javascript:alert(1))">x</div>',
      '`<script>alert(1)</script>`',
      '```html\n<script>alert(1)</script>\n```',
      '<scr<script>ipt>alert(1)</script>',
      '<!--><script>alert(1)</script>-->',
      '<<script>script>alert(1)<</script>/script>',
      '[x](https://example.org "\\" onmouseover=\\"alert(1)")',
      '<https://example.org/"onmouseover="alert(1)>',
      'www.example.org/"><script>alert(1)</script>',
    ];
    const { thread } = await h.startThread(ana, 'social-work', { title: unique('More XSS') });
    const nora = await h.signIn(NORA);
    const noraId = (await h.call('/api/v1/me', { token: nora })).body.account.id;
    for (const v of vectors) {
      const p = await h.reply(ana, thread.id, { body: v });
      assertInert(p.body_html, v);
      const prev = await h.call('/api/v1/preview', { method: 'POST', token: ana, body: { body: v } });
      assert.equal(prev.status, 200);
      assertInert(prev.body.html, `preview ${v}`);
      const m = await h.call('/api/v1/conversations', { method: 'POST', token: ana, body: { account_id: noraId, body: v } });
      assert.equal(m.status, 201);
    }
    const convo = (await h.call('/api/v1/conversations', { token: nora })).body.conversations.find((c) => c.with.name === 'Ana Active');
    const msgs = (await h.call(`/api/v1/conversations/${convo.id}`, { token: nora })).body.messages;
    assert.equal(msgs.length, vectors.length);
    for (const m of msgs) assertInert(m.body_html, `message ${m.body}`);
  });

  test('the thread page has no script but our own, even with a hostile title', async () => {
    const title = `<script>alert("t")</script> ${unique('Hostile title')}`;
    const { thread } = await h.startThread(ana, 'social-work', {
      title, body: '<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n<img src=x onerror=alert(1)>',
    });
    await h.reply(ana, thread.id, { body: '<img src=x onerror=alert(1)> and <script>alert(2)</script>' });
    for (const token of [ana, undefined]) {
      const r = await h.api(`/threads/${thread.id}`, { token });
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /text\/html/);
      const html = await r.text();
      assert.doesNotMatch(withoutOwnScript(html), /<script/i);
      assert.doesNotMatch(html, /javascript:/i);
      assert.doesNotMatch(html, /<[^>]*\sonerror\s*=/i);
      assert.ok(html.includes('&lt;script&gt;alert(') , 'the title is shown, escaped');
    }
    // And the group's thread list page.
    const list = await (await h.api('/groups/social-work', { token: ana })).text();
    assert.doesNotMatch(withoutOwnScript(list), /<script/i);

    // A hostile display name is shown as text wherever it appears.
    const mallory = await h.freshAccount('<img src=x onerror=alert(1)><script>alert(3)</script>');
    await h.join(mallory.token, 'social-work');
    await h.reply(mallory.token, thread.id, { body: 'hello from mallory' });
    const withName = await (await h.api(`/threads/${thread.id}`, { token: ana })).text();
    assert.ok(withName.includes('hello from mallory'));
    assert.doesNotMatch(withoutOwnScript(withName), /<script|<img/i);
    assert.ok(withName.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the name is shown, escaped');
  });

  test('tables and links render; links carry rel="nofollow ugc noopener"', async () => {
    const body = [
      'See [the report](https://example.org/report?a=1&b=2) and https://example.org/auto.',
      '',
      '| Branch | Visits |',
      '| --- | ---: |',
      '| Main | 1,200 |',
      '| East | 300 |',
      '',
      '~~old~~ and `code` and *em*',
      '',
      '- [x] done',
      '- [ ] todo',
    ].join('\n');
    const p = (await h.startThread(ana, 'social-work', { body })).post;
    const html = p.body_html;
    assert.match(html, /<table>/);
    assert.match(html, /<th>Branch<\/th>/);
    assert.match(html, /<td>Main<\/td>/);
    // Alignment is a class, not an inline style (the CSP has no unsafe-inline).
    assert.match(html, /<td class="align-right">1,200<\/td>/);
    assert.doesNotMatch(html, /style=/);
    assert.match(html, /<del>old<\/del>/);
    assert.match(html, /<code>code<\/code>/);
    assert.match(html, /<em>em<\/em>/);
    const links = html.match(/<a\s[^>]*>/g) ?? [];
    assert.ok(links.length >= 2, html);
    assert.ok(links.some((a) => a.includes('href="https://example.org/report?a=1&amp;b=2"')), html);
    assert.ok(links.some((a) => a.includes('href="https://example.org/auto"')), html);
    for (const a of links) assert.match(a, /rel="nofollow ugc noopener"/, a);
    const prev = await h.call('/api/v1/preview', { method: 'POST', token: ana, body: { body } });
    assert.equal(prev.body.html, html, 'preview renders what posting renders');
    // Images are shown as links, not loaded.
    const img = await h.call('/api/v1/preview', { method: 'POST', token: ana, body: { body: '![chart](https://example.org/chart.png)' } });
    assert.doesNotMatch(img.body.html, /<img/i);
    assert.match(img.body.html, /<a [^>]*href="https:\/\/example.org\/chart.png"/);
    // Preview input is validated like a post.
    expectError(await h.call('/api/v1/preview', { method: 'POST', token: ana, body: { body: 'x'.repeat(64 * 1024 + 1) } }), 413, 'too_large');
    expectError(await h.call('/api/v1/preview', { method: 'POST', token: ana, raw: 'nope', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json');
  });

  test('editing keeps revisions; deleting soft-deletes and updates the reply count', async () => {
    const grant = await h.signIn(GRANT);
    await h.join(grant, 'social-work');
    const { thread } = await h.startThread(ana, 'social-work');
    const p = await h.reply(grant, thread.id, { body: 'First **draft**' });
    const keep = await h.reply(ana, thread.id, { body: 'Replying to Grant', reply_to: p.id });
    assert.equal(keep.reply_to, p.id);
    assert.equal(keep.reply_to_author, 'Grant Grace');
    assert.equal((await h.call(`/api/v1/posts/${p.id}/revisions`, { token: grant })).body.revisions.length, 0);

    const e1 = await h.call(`/api/v1/posts/${p.id}`, { method: 'PATCH', token: grant, body: { body: 'Second draft' } });
    assert.equal(e1.status, 200, JSON.stringify(e1.body));
    assert.equal(e1.body.post.body, 'Second draft');
    assert.match(e1.body.post.body_html, /Second draft/);
    assert.ok(e1.body.post.edited_at);
    const e2 = await h.call(`/api/v1/posts/${p.id}`, { method: 'PATCH', token: grant, body: { body: 'Final' } });
    assert.equal(e2.status, 200);
    // Saving the same text again is not a revision.
    await h.call(`/api/v1/posts/${p.id}`, { method: 'PATCH', token: grant, body: { body: 'Final' } });

    const revs = await h.call(`/api/v1/posts/${p.id}/revisions`, { token: ana });
    assert.equal(revs.status, 200);
    assert.deepEqual(revs.body.revisions.map((r) => r.body).sort(), ['First **draft**', 'Second draft'].sort());
    const orig = revs.body.revisions.find((r) => r.body === 'First **draft**');
    assert.match(orig.body_html, /<strong>draft<\/strong>/);
    assert.match(orig.replaced_at, /^\d{4}-\d\d-\d\dT/);

    let page = await h.thread(ana, thread.id);
    let shown = page.posts.find((x) => x.id === p.id);
    assert.equal(shown.body, 'Final');
    assert.ok(shown.edited_at);
    assert.equal(page.thread.reply_count, 2);

    assert.equal((await h.api(`/api/v1/posts/${p.id}`, { method: 'DELETE', token: grant })).status, 204);
    page = await h.thread(ana, thread.id);
    shown = page.posts.find((x) => x.id === p.id);
    assert.ok(shown, 'a deleted post keeps its place');
    assert.equal(shown.deleted, true);
    assert.equal(shown.body, '');
    assert.equal(shown.body_html, '');
    assert.equal(page.thread.reply_count, 1);
    assert.equal((await h.allThreads(ana, 'social-work')).find((x) => x.id === thread.id).reply_count, 1);
    // Its revisions go with it.
    expectError(await h.call(`/api/v1/posts/${p.id}/revisions`, { token: ana }), 404, 'not_found');
    // Neither the deleted text nor its old revisions are on the page.
    const html = await (await h.api(`/threads/${thread.id}`, { token: ana })).text();
    assert.ok(!html.includes('Second draft') && !html.includes('Final'), 'deleted text gone from the page');
    // A reply to a deleted post is refused.
    expectError(await h.call(`/api/v1/threads/${thread.id}/posts`, { method: 'POST', token: ana, body: { body: 'late', reply_to: p.id } }), 400, 'invalid_reply_to');
    // Lena removes Ana's reply; its author sees it deleted too.
    assert.equal((await h.api(`/api/v1/posts/${keep.id}`, { method: 'DELETE', token: lena })).status, 204);
    assert.equal((await h.thread(ana, thread.id)).thread.reply_count, 0);
  });
});

// ---------------------------------------------------------------------------

describe('pagination', () => {
  const h = harness();

  test('30+ threads page through `next` without gaps or duplicates', async () => {
    const lena = await h.signIn(LENA);
    const made = [];
    for (let i = 0; i < 32; i++) made.push((await h.startThread(lena, 'social-work', { title: unique(`Page thread ${i}`) })).thread.id);
    const seen = [];
    let after = null;
    let pages = 0;
    for (;;) {
      const r = await h.call(`/api/v1/groups/social-work/threads${after ? `?after=${encodeURIComponent(after)}` : ''}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      pages++;
      assert.ok(r.body.threads.length <= 25);
      if (r.body.next) assert.equal(r.body.threads.length, 25, 'only the last page is short');
      seen.push(...r.body.threads.map((t) => t.id));
      if (!r.body.next) break;
      assert.equal(typeof r.body.next, 'string');
      after = r.body.next;
      assert.ok(pages < 20);
    }
    assert.ok(pages >= 2);
    assert.equal(new Set(seen).size, seen.length, 'no duplicates');
    for (const id of made) assert.ok(seen.includes(id), `thread ${id} listed`);
    // Newest activity first: created in order, so listed in reverse.
    const order = seen.filter((id) => made.includes(id));
    assert.deepEqual(order, [...made].reverse());

    // A reply bumps a thread to the top; a pinned thread stays above it.
    // (Activity times have one-second resolution: step past this second.)
    await new Promise((r) => setTimeout(r, 1100));
    await h.call(`/api/v1/threads/${made[5]}/pinned`, { method: 'PUT', token: lena, body: { pinned: true } });
    await h.reply(lena, made[3], { body: 'bump' });
    const all = (await h.allThreads(undefined, 'social-work')).map((t) => t.id);
    assert.equal(all[0], made[5]);
    assert.equal(all[1], made[3]);
    assert.equal(new Set(all).size, all.length);
    assert.equal(all.length, seen.length);

    // Filters page too.
    for (let i = 0; i < 27; i++) await h.startThread(lena, 'social-work', { kind: 'question', title: unique(`Q${i}`) });
    const qs = await h.allThreads(undefined, 'social-work', 'kind=question&unanswered=1');
    assert.equal(qs.length, 27);
    assert.ok(qs.every((t) => t.kind === 'question' && !t.answered));
    assert.equal(new Set(qs.map((t) => t.id)).size, 27);
  });

  test('replies page through `next` in the thread', async () => {
    const lena = await h.signIn(LENA);
    const { thread } = await h.startThread(lena, 'social-work');
    const made = [];
    for (let i = 0; i < 35; i++) made.push((await h.reply(lena, thread.id, { body: `reply ${i}` })).id);
    const first = await h.thread(undefined, thread.id);
    assert.equal(first.posts[0].id, thread.first_post_id);
    const seen = first.posts.slice(1).map((p) => p.id);
    assert.ok(first.next);
    const second = await h.call(`/api/v1/threads/${thread.id}?after=${first.next}`);
    assert.equal(second.status, 200);
    assert.ok(!second.body.posts.some((p) => p.id === thread.first_post_id), 'opening post only on the first page');
    seen.push(...second.body.posts.map((p) => p.id));
    assert.equal(second.body.next, null);
    assert.deepEqual(seen, made);
  });

  test('staff filter stories by consent; others cannot', async () => {
    const lena = await h.signIn(LENA);
    const nora = await h.signIn(NORA);
    await h.join(nora, 'social-work');
    const pub = await h.startThread(nora, 'social-work', { kind: 'story', consent: 'public', title: unique('Public story') });
    const grp = await h.startThread(nora, 'social-work', { kind: 'story', title: unique('Default story') });
    assert.equal(pub.thread.consent, 'public');
    assert.equal(grp.thread.consent, 'group_only');
    const staff = await h.allThreads(lena, 'social-work', 'kind=story&consent=public');
    assert.deepEqual(staff.map((t) => t.id), [pub.thread.id]);
    // For non-staff the consent filter is ignored (they see every story).
    const member = await h.allThreads(nora, 'social-work', 'kind=story&consent=public');
    assert.deepEqual(member.map((t) => t.id).sort(), [pub.thread.id, grp.thread.id].sort());
  });
});

// ---------------------------------------------------------------------------
// Cross-feature consistency: privacy of notifications, idempotency-key
// scope, and the conversation shape returned by every route.

describe('consistency', () => {
  const h = harness();

  test('someone who leaves a members-only group stops getting its replies (no titles leak)', async () => {
    const lena = await h.signIn(LENA);
    const grant = await h.signIn(GRANT);
    await h.join(grant, 'data-measurement');
    const title = unique('Confidential budget figures');
    const { thread } = await h.startThread(lena, 'data-measurement', { title });
    await h.reply(grant, thread.id, { body: 'I follow this now.' });  // replying follows
    assert.equal((await h.thread(grant, thread.id)).viewer.following, true);
    const left = await h.call('/api/v1/groups/data-measurement/membership', { method: 'DELETE', token: grant });
    assert.equal(left.status, 200);
    expectError(await h.call(`/api/v1/threads/${thread.id}`, { token: grant }), 404, 'not_found', 'after leaving');
    const before = (await h.notifications(grant)).notifications.length;
    await h.reply(lena, thread.id, { body: 'Only members should hear about this.' });
    await h.settled();
    const after = (await h.notifications(grant)).notifications;
    const leaked = after.filter((n) => n.thread_id === thread.id && n.kind === 'reply');
    assert.equal(after.length, before, `notified about a thread Grant can no longer read: ${JSON.stringify(leaked)}`);
  });

  test('an Idempotency-Key reused for a different request never answers with another request\'s result', async () => {
    const ana = await h.signIn(ANA);
    const grant = await h.signIn(GRANT);
    await h.join(ana, 'social-work');
    const grantId = (await h.call('/api/v1/me', { token: grant })).body.account.id;
    const a = await h.startThread(ana, 'social-work', { title: unique('Key A') });
    const b = await h.startThread(ana, 'social-work', { title: unique('Key B') });
    // Either refuse the reuse (4xx) or do what was asked; never report
    // success with a different request's post.
    const okOrRefused = (r, threadId, body, what) => {
      if (r.status === 201) {
        assert.equal(r.body.post.thread_id, threadId, `${what}: 201 with a post of another thread: ${JSON.stringify(r.body.post)}`);
        assert.equal(r.body.post.body, body, `${what}: 201 with another post's text`);
      } else {
        assert.ok(r.status >= 400 && r.status < 500, `${what}: ${r.status}`);
      }
    };
    const k1 = unique('key-thread');
    await h.startThread(ana, 'social-work', { title: unique('Made with k1') }, { 'idempotency-key': k1 });
    okOrRefused(await h.call(`/api/v1/threads/${b.thread.id}/posts`, { method: 'POST', token: ana, body: { body: 'reply with k1' }, headers: { 'idempotency-key': k1 } }),
      b.thread.id, 'reply with k1', 'thread key reused for a reply');

    const k2 = unique('key-reply');
    await h.reply(ana, a.thread.id, { body: 'first use of k2' }, { 'idempotency-key': k2 });
    okOrRefused(await h.call(`/api/v1/threads/${b.thread.id}/posts`, { method: 'POST', token: ana, body: { body: 'k2 in another thread' }, headers: { 'idempotency-key': k2 } }),
      b.thread.id, 'k2 in another thread', 'reply key reused in another thread');

    const k3 = unique('key-conversation');
    const c = await h.call('/api/v1/conversations', { method: 'POST', token: ana, body: { account_id: grantId, body: 'hello' }, headers: { 'idempotency-key': k3 } });
    assert.equal(c.status, 201);
    okOrRefused(await h.call(`/api/v1/threads/${b.thread.id}/posts`, { method: 'POST', token: ana, body: { body: 'k3 reply' }, headers: { 'idempotency-key': k3 } }),
      b.thread.id, 'k3 reply', 'conversation key reused for a reply');
    const t3 = await h.call('/api/v1/groups/social-work/threads', { method: 'POST', token: ana, body: { title: 'k3 thread', body: 'k3 body' }, headers: { 'idempotency-key': k3 } });
    if (t3.status === 201) assert.equal(t3.body.thread.title, 'k3 thread', `conversation key reused for a thread: 201 with ${JSON.stringify(t3.body.thread)}`);
    else assert.ok(t3.status >= 400 && t3.status < 500);
  });

  test('a conversation reads the same from POST, GET and the inbox', async () => {
    const ana = await h.signIn(ANA);
    const nora = await h.signIn(NORA);
    const noraId = (await h.call('/api/v1/me', { token: nora })).body.account.id;
    const text = unique('Hello Nora, about the outreach flyer');
    const started = await h.call('/api/v1/conversations', { method: 'POST', token: ana, body: { account_id: noraId, body: text } });
    assert.equal(started.status, 201);
    const inbox = (await h.call('/api/v1/conversations', { token: ana })).body.conversations.find((x) => x.id === started.body.conversation.id);
    const got = (await h.call(`/api/v1/conversations/${inbox.id}`, { token: ana })).body.conversation;
    assert.ok(inbox.last_snippet.startsWith('Hello Nora'), JSON.stringify(inbox));
    assert.equal(started.body.conversation.last_snippet, inbox.last_snippet, `POST /api/v1/conversations: ${JSON.stringify(started.body.conversation)}`);
    assert.equal(got.last_snippet, inbox.last_snippet, `GET /api/v1/conversations/{id}: ${JSON.stringify(got)}`);
  });
});
