// Feedback to the staff liaison: the JSON API, the pages, privacy (404 for
// everyone but the author and the group's staff) and the liaison CLI,
// against the real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli, DEMO_PASSWORD } from '../support/server.mjs';
import { formClient, cookieOf, csrfOf } from '../support/forms.mjs';

let srv;
after(async () => { await srv?.stop(); });

const api = async (path, { method = 'GET', body, token, raw } = {}) => {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(srv.base + path, {
    method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
};
const tokenOf = async (email) =>
  (await api('/api/v1/session', { method: 'POST', body: { email, password: DEMO_PASSWORD } })).body.token;

let ana, grant, lena, avery, nora;
before(async () => {
  srv = await startServer();
  ana = await tokenOf('active@demo.roundtable.test');
  grant = await tokenOf('grace@demo.roundtable.test');
  lena = await tokenOf('liaison@demo.roundtable.test');
  avery = await tokenOf('admin@demo.roundtable.test');
  nora = await tokenOf('visitor@demo.roundtable.test');
  for (const t of [ana, grant]) {
    const r = await api('/api/v1/groups/data-measurement/membership', { method: 'POST', token: t });
    assert.equal(r.status, 201);
  }
});

const send = (token, body, slug = 'data-measurement') =>
  api(`/api/v1/groups/${slug}/feedback`, { method: 'POST', token, body });

test('API: a member sends feedback; the liaison lists, moves and answers it', async () => {
  let r = await api('/api/v1/groups/data-measurement', { token: ana });
  assert.equal(r.body.group.viewer.can_send_feedback, true);
  assert.equal(r.body.group.viewer.can_manage_feedback, false);

  r = await send(ana, { category: 'program_proposal', body: 'A **workshop** on surveys?', quote_consent: true });
  assert.equal(r.status, 201);
  const f = r.body.feedback;
  assert.ok(f.id > 0);
  assert.equal(f.category, 'program_proposal');
  assert.equal(f.status, 'new');
  assert.equal(f.quote_consent, true);
  assert.equal(f.liaison.name, 'Lena Liaison');
  assert.equal(f.author.name, 'Ana Active');

  // The liaison's inbox has it; Grant's own list does not.
  r = await api('/api/v1/groups/data-measurement/feedback', { token: lena });
  assert.equal(r.status, 200);
  assert.equal(r.body.scope, 'group');
  assert.ok(r.body.feedback.some((x) => x.id === f.id));
  r = await api('/api/v1/groups/data-measurement/feedback', { token: grant });
  assert.equal(r.body.scope, 'mine');
  assert.deepEqual(r.body.feedback, []);
  // The liaison was told.
  r = await api('/api/v1/notifications', { token: lena });
  assert.ok(r.body.notifications.some((n) => n.kind === 'feedback' && n.feedback_id === f.id));

  r = await api(`/api/v1/feedback/${f.id}`, { method: 'PATCH', token: lena, body: { status: 'acknowledged' } });
  assert.equal(r.status, 200);
  assert.equal(r.body.feedback.status, 'acknowledged');
  r = await api(`/api/v1/feedback/${f.id}/replies`, { method: 'POST', token: lena, body: { body: 'Yes, in *May*.' } });
  assert.equal(r.status, 201);
  assert.equal(r.body.reply.author.name, 'Lena Liaison');
  assert.match(r.body.reply.body_html, /<em>May<\/em>/);
  r = await api(`/api/v1/feedback/${f.id}`, { method: 'PATCH', token: lena, body: { status: 'resolved' } });
  assert.equal(r.body.feedback.status, 'resolved');

  // The member reads the reply and was told of it.
  r = await api(`/api/v1/feedback/${f.id}`, { token: ana });
  assert.equal(r.status, 200);
  assert.equal(r.body.feedback.status, 'resolved');
  assert.equal(r.body.feedback.replies.length, 1);
  assert.equal(r.body.feedback.viewer.is_author, true);
  assert.equal(r.body.feedback.viewer.is_staff, false);
  r = await api('/api/v1/notifications', { token: ana });
  assert.ok(r.body.notifications.some((n) => n.kind === 'feedback' && n.feedback_id === f.id));

  // Filter and answer back.
  r = await api('/api/v1/groups/data-measurement/feedback?status=resolved', { token: lena });
  assert.ok(r.body.feedback.every((x) => x.status === 'resolved'));
  r = await api(`/api/v1/feedback/${f.id}/replies`, { method: 'POST', token: ana, body: { body: 'Thanks!' } });
  assert.equal(r.status, 201);
});

test('API: bad input is refused with the field, and nothing is stored', async () => {
  let r = await send(ana, { category: 'rant', body: 'x' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'invalid_category');
  assert.equal(r.body.error.field, 'category');
  r = await send(ana, { category: 'idea', body: '  ' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'body');
  r = await send(ana, { category: 'idea', body: 'x'.repeat(64 * 1024 + 1) });
  assert.equal(r.status, 413);
  r = await send(ana, { category: 'idea', body: 'ok', quote_consent: 'yes' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'quote_consent');
  r = await api('/api/v1/groups/data-measurement/feedback', { method: 'POST', token: ana, raw: '{"category":', body: null });
  assert.equal(r.status, 400);
  r = await api('/api/v1/groups/data-measurement/feedback?status=closed', { token: lena });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'status');
  r = await api('/api/v1/groups/data-measurement/feedback?after=abc', { token: lena });
  assert.equal(r.status, 400);
  r = await send(nora, { category: 'idea', body: 'Let me in' });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'not_group_member');
  r = await send(null, { category: 'idea', body: 'Hello' });
  assert.equal(r.status, 401);
  r = await send(ana, { category: 'idea', body: 'Hello' }, 'no-such-group');
  assert.equal(r.status, 404);
  r = await api('/api/v1/groups/data-measurement/feedback', { token: ana });
  assert.ok(r.body.feedback.every((x) => x.body !== '  ' && x.body !== 'x'));

  const f = (await send(ana, { category: 'concern', body: 'Meetings run late.' })).body.feedback;
  r = await api(`/api/v1/feedback/${f.id}`, { method: 'PATCH', token: lena, body: { status: 'done' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'status');
  r = await api(`/api/v1/feedback/${f.id}`, { method: 'PATCH', token: lena, body: { liaison: 'active@demo.roundtable.test' } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'invalid_liaison');
  r = await api(`/api/v1/feedback/${f.id}`, { method: 'PATCH', token: lena, body: { body: 'x' } });
  assert.equal(r.status, 400);
  r = await api(`/api/v1/feedback/${f.id}`, { method: 'PATCH', token: lena, body: {} });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'nothing_to_change');
  r = await api(`/api/v1/feedback/${f.id}/replies`, { method: 'POST', token: lena, body: { body: '' } });
  assert.equal(r.status, 400);
  // Any status may follow any other.
  for (const s of ['resolved', 'new', 'in_progress', 'acknowledged']) {
    r = await api(`/api/v1/feedback/${f.id}`, { method: 'PATCH', token: lena, body: { status: s } });
    assert.equal(r.status, 200);
    assert.equal(r.body.feedback.status, s);
  }
});

test('privacy: another member, a visitor and the author asking for staff moves', async () => {
  const f = (await send(ana, { category: 'concern', body: 'Private worry' })).body.feedback;
  for (const t of [grant, nora]) {
    assert.equal((await api(`/api/v1/feedback/${f.id}`, { token: t })).status, 404);
    assert.equal((await api(`/api/v1/feedback/${f.id}`, { method: 'PATCH', token: t, body: { status: 'resolved' } })).status, 404);
    assert.equal((await api(`/api/v1/feedback/${f.id}/replies`, { method: 'POST', token: t, body: { body: 'hi' } })).status, 404);
  }
  assert.equal((await api('/api/v1/feedback/999999', { token: lena })).status, 404);
  assert.equal((await api(`/api/v1/feedback/${f.id}`)).status, 401);
  // The admin sees it; the author may not change its status (403, with why).
  assert.equal((await api(`/api/v1/feedback/${f.id}`, { token: avery })).status, 200);
  let r = await api(`/api/v1/feedback/${f.id}`, { method: 'PATCH', token: ana, body: { status: 'resolved' } });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'not_staff');
  assert.match(r.body.error.message, /staff/);
  r = await api(`/api/v1/feedback/${f.id}`, { method: 'PATCH', token: ana, body: { quote_consent: true } });
  assert.equal(r.status, 200);
  assert.equal(r.body.feedback.quote_consent, true);
  r = await api(`/api/v1/feedback/${f.id}`, { method: 'PATCH', token: lena, body: { quote_consent: false } });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'not_author');

  // Pages: the same 404 for Grant, sign-in for a visitor.
  const f2 = formClient(() => srv.base);
  const grantCookie = cookieOf(await f2.post('/signin', f2.form({ email: 'grace@demo.roundtable.test', password: DEMO_PASSWORD })));
  let page = await f2.get(`/feedback/${f.id}`, { cookie: grantCookie });
  assert.equal(page.status, 404);
  assert.doesNotMatch(await page.text(), /Private worry/);
  page = await f2.get(`/feedback/${f.id}`);
  assert.equal(page.status, 303);
  assert.match(page.headers.get('location'), /^\/signin\?next=/);
  page = await f2.get('/groups/data-measurement/feedback', { cookie: grantCookie });
  assert.equal(page.status, 200);
  assert.doesNotMatch(await page.text(), /Private worry/);
});

test('API: hand over by email; "you said, we did" publishes a group thread', async () => {
  const a = (await send(ana, { category: 'idea', body: 'Evening meetings', quote_consent: true })).body.feedback;
  const g = (await send(grant, { category: 'resource_request', body: 'A survey template' })).body.feedback;
  for (const id of [a.id, g.id]) {
    await api(`/api/v1/feedback/${id}`, { method: 'PATCH', token: lena, body: { status: 'resolved' } });
  }
  let r = await api(`/api/v1/feedback/${a.id}`, { method: 'PATCH', token: lena, body: { liaison: 'liaison@demo.roundtable.test' } });
  assert.equal(r.status, 200);
  assert.equal(r.body.feedback.liaison.name, 'Lena Liaison');

  r = await api('/api/v1/groups/data-measurement/feedback/summary', {
    method: 'POST', token: ana, body: { title: 'x', body: 'y', feedback_ids: [a.id] } });
  assert.equal(r.status, 403);
  r = await api('/api/v1/groups/data-measurement/feedback/summary', {
    method: 'POST', token: lena, body: { title: 'You said', body: 'We did', feedback_ids: [] } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'feedback_ids');
  r = await api('/api/v1/groups/data-measurement/feedback/summary', {
    method: 'POST', token: lena, body: { title: 'You said', body: 'We did', feedback_ids: ['a'] } });
  assert.equal(r.status, 400);
  r = await api('/api/v1/groups/data-measurement/feedback/summary', {
    method: 'POST', token: lena, body: { title: '', body: 'We did', feedback_ids: [a.id] } });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'title');
  r = await api('/api/v1/groups/data-measurement/feedback/summary', {
    method: 'POST', token: lena,
    body: { title: 'You said, we did: March', body: 'We moved to evenings and shared a template.', feedback_ids: [a.id, g.id] } });
  assert.equal(r.status, 201);
  assert.equal(r.body.thread.title, 'You said, we did: March');
  assert.equal(r.body.thread.author.name, 'Lena Liaison');
  const text = r.body.post.body;
  assert.match(text, /Ana Active \(Idea for the group\)/);
  assert.match(text, /A member \(Resource request\)/);
  assert.doesNotMatch(text, /Grant/);
  r = await api(`/api/v1/feedback/${a.id}`, { token: ana });
  assert.ok(r.body.feedback.summary_thread_id > 0);
});

test('pages: the link on the group, the form with errors, the inbox and an item', async () => {
  const f = formClient(() => srv.base);
  const signIn = async (email) => cookieOf(await f.post('/signin', f.form({ email, password: DEMO_PASSWORD })));
  const anaC = await signIn('active@demo.roundtable.test');
  const lenaC = await signIn('liaison@demo.roundtable.test');

  let html = await (await f.get('/groups/data-measurement', { cookie: anaC })).text();
  assert.match(html, /<a href="\/groups\/data-measurement\/feedback\/new">Send feedback to the staff liaison<\/a>/);
  html = await (await f.get('/groups/data-measurement', { cookie: lenaC })).text();
  assert.match(html, /<a href="\/groups\/data-measurement\/feedback">Feedback inbox<\/a>/);
  html = await (await f.get('/groups/data-measurement')).text();
  assert.doesNotMatch(html, /feedback/i);

  let r = await f.get('/groups/data-measurement/feedback/new', { cookie: anaC });
  assert.equal(r.status, 200);
  html = await r.text();
  assert.match(html, /<h1>Send feedback to the staff liaison<\/h1>/);
  assert.match(html, /only you, the group&apos;s staff liaisons/i);
  const csrf = csrfOf(html);
  const key = html.match(/name="idempotency_key" value="([^"]+)"/)[1];

  // Errors keep what was typed and link to the field.
  r = await f.post('/groups/data-measurement/feedback', f.form({ csrf_token: csrf, idempotency_key: key, body: 'Keep my words' }), { cookie: anaC });
  assert.equal(r.status, 422);
  html = await r.text();
  assert.match(html, /<a href="#field-category">Choose what your feedback is about/);
  assert.match(html, />Keep my words<\/textarea>/);
  r = await f.post('/groups/data-measurement/feedback', f.form({ csrf_token: csrf, idempotency_key: key, category: 'idea', body: '' }), { cookie: anaC });
  assert.equal(r.status, 400);
  assert.match(await r.text(), /href="#field-body"/);
  // No CSRF token: refused.
  r = await f.post('/groups/data-measurement/feedback', f.form({ category: 'idea', body: 'x' }), { cookie: anaC });
  assert.equal(r.status, 403);

  r = await f.post('/groups/data-measurement/feedback', f.form({ csrf_token: csrf, idempotency_key: key, category: 'concern', body: 'The room is too small', quote_consent: '1' }), { cookie: anaC });
  assert.equal(r.status, 303);
  const where = r.headers.get('location');
  assert.match(where, /^\/feedback\/\d+\?notice=feedback_sent$/);
  const id = where.match(/\/feedback\/(\d+)/)[1];
  html = await (await f.get(where, { cookie: anaC })).text();
  assert.match(html, /Your feedback is sent/);
  assert.match(html, /<h1>Concern<\/h1>/);
  assert.match(html, /The room is too small/);
  assert.match(html, /No replies yet/);
  assert.doesNotMatch(html, /Update status/);

  // The liaison's inbox and item page; status and reply forms.
  html = await (await f.get('/groups/data-measurement/feedback?status=new', { cookie: lenaC })).text();
  assert.match(html, /<h1>Feedback inbox<\/h1>/);
  assert.match(html, new RegExp(`<a href="/feedback/${id}">Concern: The room is too small</a>`));
  assert.match(html, /from Ana Active/);
  html = await (await f.get('/groups/data-measurement/feedback?status=nope', { cookie: lenaC })).text();
  assert.match(html, /Choose a status/);
  html = await (await f.get(`/feedback/${id}`, { cookie: lenaC })).text();
  const lcsrf = csrfOf(html);
  r = await f.post(`/feedback/${id}`, f.form({ csrf_token: lcsrf, status: 'in_progress' }), { cookie: lenaC });
  assert.equal(r.status, 303);
  r = await f.post(`/feedback/${id}/replies`, f.form({ csrf_token: lcsrf, body: 'We are looking for a bigger room.' }), { cookie: lenaC });
  assert.equal(r.status, 303);
  r = await f.post(`/feedback/${id}/replies`, f.form({ csrf_token: lcsrf, body: '' }), { cookie: lenaC });
  assert.equal(r.status, 400);
  assert.match(await r.text(), /<a href="#field-body">/);
  html = await (await f.get(`/feedback/${id}`, { cookie: anaC })).text();
  assert.match(html, /In progress/);
  assert.match(html, /We are looking for a bigger room\./);
  // The author changes their consent from the page.
  r = await f.post(`/feedback/${id}`, f.form({ csrf_token: csrf, change: 'quote_consent' }), { cookie: anaC });
  assert.equal(r.status, 303);
  html = await (await f.get(`/feedback/${id}`, { cookie: anaC })).text();
  assert.match(html, /Quoted as &ldquo;a member&rdquo;|Quoted as “a member”/);
  // ... and may not change the status (403 page).
  r = await f.post(`/feedback/${id}`, f.form({ csrf_token: csrf, status: 'resolved' }), { cookie: anaC });
  assert.equal(r.status, 403);

  // The notification links to the item.
  html = await (await f.get('/notifications', { cookie: anaC })).text();
  assert.match(html, new RegExp(`href="/feedback/${id}"`));
  assert.match(html, /Lena Liaison answered your feedback to Data and Measurement/);

  // The summary page lists resolved items.
  html = await (await f.get('/groups/data-measurement/feedback/summary', { cookie: lenaC })).text();
  assert.match(html, /Publish &ldquo;You said, we did&rdquo;|Publish “You said, we did”/);
  r = await f.get('/groups/data-measurement/feedback/summary', { cookie: anaC });
  assert.equal(r.status, 403);
});

test('CLI: remove-liaison hands open feedback to the new liaison in one step', async () => {
  const f = (await send(ana, { category: 'other', body: 'For whoever comes next' })).body.feedback;
  assert.equal(f.liaison.name, 'Lena Liaison');
  let r = await cli(srv.dataDir, ['groups', 'add-liaison', 'data-measurement', 'admin@demo.roundtable.test']);
  assert.equal(r.code, 0, r.stderr);
  r = await cli(srv.dataDir, ['groups', 'remove-liaison', 'data-measurement', 'liaison@demo.roundtable.test']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /no longer a staff liaison of Data and Measurement/);
  let got = await api(`/api/v1/feedback/${f.id}`, { token: avery });
  assert.equal(got.body.feedback.liaison.name, 'Avery Admin');
  // Lena, no longer staff, no longer sees it.
  assert.equal((await api(`/api/v1/feedback/${f.id}`, { token: lena })).status, 404);
  r = await cli(srv.dataDir, ['groups', 'remove-liaison', 'data-measurement', 'liaison@demo.roundtable.test']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /not a staff liaison/);
  r = await cli(srv.dataDir, ['groups', 'add-liaison', 'data-measurement', 'liaison@demo.roundtable.test']);
  assert.equal(r.code, 0, r.stderr);
  got = await api(`/api/v1/feedback/${f.id}`, { token: lena });
  assert.equal(got.status, 200);
  assert.equal(got.body.feedback.liaison.name, 'Avery Admin');  // Avery is still a liaison
});
