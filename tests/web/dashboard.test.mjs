// Engagement figures (issue 7): the JSON API of a group and of the whole
// association, the dashboard pages, the CSV exports, who may see them
// (401/403/404) and bad periods, against the real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, run, DEMO_PASSWORD } from '../support/server.mjs';
import { cookieOf } from '../support/forms.mjs';

let srv;
after(async () => { await srv?.stop(); });

const api = async (path, { method = 'GET', body, token } = {}) => {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(srv.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
};
const signIn = async (email) => {
  const r = await fetch(srv.base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  return { token: (await r.json()).token, cookie: cookieOf(r) };
};
const page = async (path, who) => {
  const r = await fetch(srv.base + path, { redirect: 'manual', headers: who ? { cookie: who.cookie } : {} });
  return { status: r.status, type: r.headers.get('content-type'), headers: r.headers, text: await r.text() };
};
const sql = (statement) => run('sqlite3', [join(srv.dataDir, 'roundtable.db'), statement]);

let ana, grant, lena, avery;
const G = '/api/v1/groups/data-measurement/engagement';
before(async () => {
  srv = await startServer();
  [ana, grant, lena, avery] = await Promise.all(['active', 'grace', 'liaison', 'admin']
    .map((n) => signIn(`${n}@demo.roundtable.test`)));
  for (const who of [ana, grant]) {
    assert.equal((await api('/api/v1/groups/data-measurement/membership', { method: 'POST', token: who.token })).status, 201);
  }
  // Ana asks, Grant answers, Ana accepts; Lena shares a link and invites;
  // Ana sends feedback.
  const q = await api('/api/v1/groups/data-measurement/threads', { method: 'POST', token: ana.token,
    body: { kind: 'question', title: 'Which survey tool?', body: 'For patron surveys.' } });
  assert.equal(q.status, 201);
  const reply = await api(`/api/v1/threads/${q.body.thread.id}/posts`, { method: 'POST', token: grant.token, body: { body: 'We use a paper form.' } });
  assert.equal(reply.status, 201);
  assert.equal((await api(`/api/v1/threads/${q.body.thread.id}/answer`, { method: 'POST', token: ana.token,
    body: { post_id: reply.body.post.id } })).status, 200);
  assert.equal((await api('/api/v1/groups/data-measurement/resources', { method: 'POST', token: lena.token,
    body: { kind: 'link', title: 'Survey guide', url: 'https://example.org/guide', license: 'cc-by', tags: [] } })).status, 201);
  assert.equal((await api('/api/v1/groups/data-measurement/invitations', { method: 'POST', token: lena.token,
    body: { emails: ['colleague@example.org'] } })).status, 201);
  assert.equal((await api('/api/v1/groups/data-measurement/feedback', { method: 'POST', token: ana.token,
    body: { category: 'idea', body: 'More webinars, please.' } })).status, 201);
  // An unlisted group that only admins know of.
  await sql("INSERT INTO interest_groups (association_id, slug, name, join_policy, visibility, listed) " +
    "SELECT association_id, 'secret', 'Secret', 'invite', 'members', 0 FROM interest_groups WHERE slug = 'health'");
});

test('API: the liaison reads a year of figures by month, counted from what happened', async () => {
  const r = await api(G, { token: lena.token });
  assert.equal(r.status, 200);
  assert.equal(r.body.group.slug, 'data-measurement');
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(r.body.period.to, today);
  assert.equal(r.body.months.length, 12);
  assert.equal(r.body.months.at(-1).month, today.slice(0, 7));
  assert.match(r.body.period.from, /^\d{4}-\d{2}-01$/);
  const t = r.body.totals;
  assert.equal(t.threads, 1);
  assert.equal(t.threads_question, 1);
  assert.equal(t.replies, 1);
  assert.equal(t.replies_question, 1);
  assert.equal(t.questions_answered, 1);
  assert.equal(t.questions_answered_share, 1);
  assert.equal(t.questions_replied_share, 1);
  assert.equal(t.first_reply_threads, 1);
  assert.ok(t.median_first_reply_seconds >= 0);
  assert.equal(t.members_active, 2);  // Ana and Grant
  assert.ok(t.members_new >= 3, JSON.stringify(t));  // Lena (seeded today), Ana, Grant
  assert.equal(t.members_total, t.members_new);  // everyone joined today
  assert.equal(t.resources_shared, 1);
  assert.equal(t.invitations_sent, 1);
  assert.equal(t.invitations_accepted, 0);
  assert.equal(t.feedback_received, 1);
  assert.equal(t.feedback_open, 1);
  // Months add up to the totals; quiet months are zero, not missing.
  const sum = (k) => r.body.months.reduce((n, m) => n + m[k], 0);
  for (const k of ['threads', 'replies', 'members_new', 'resources_shared', 'feedback_received']) {
    assert.equal(sum(k), t[k], k);
  }
  assert.equal(r.body.months[0].threads, 0);
  assert.equal(r.body.months[0].questions_answered_share, null);
  assert.equal(r.body.months[0].median_first_reply_seconds, null);
  // An admin sees it too; an explicit period narrows it.
  assert.equal((await api(G, { token: avery.token })).status, 200);
  const narrow = await api(`${G}?from=2020-01-01&to=2020-03-31`, { token: lena.token });
  assert.equal(narrow.status, 200);
  assert.deepEqual(narrow.body.months.map((m) => m.month), ['2020-01', '2020-02', '2020-03']);
  assert.equal(narrow.body.totals.threads, 0);
  assert.equal(narrow.body.totals.members_total, 0);
});

test('API: members are refused plainly, hidden groups do not exist, bad periods are 422', async () => {
  let r = await api(G, { token: ana.token });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'not_staff');
  assert.match(r.body.error.message, /staff/);
  r = await api(G);
  assert.equal(r.status, 401);
  r = await api('/api/v1/groups/no-such-group/engagement', { token: lena.token });
  assert.equal(r.status, 404);
  r = await api('/api/v1/groups/secret/engagement', { token: ana.token });
  assert.equal(r.status, 404);
  r = await api('/api/v1/groups/secret/engagement?from=nonsense', { token: ana.token });
  assert.equal(r.status, 404, 'who asks is checked before the dates');
  assert.equal((await api('/api/v1/groups/secret/engagement', { token: avery.token })).status, 200);
  r = await api(`${G}?from=2026-02-30`, { token: ana.token });
  assert.equal(r.status, 403);

  for (const [query, code, field] of [
    ['from=2026-02-30', 'invalid_date', 'from'],
    ['to=31/12/2025', 'invalid_date', 'to'],
    ['from=' + 'x'.repeat(500), 'invalid_date', 'from'],
    ['from=2025-06-02&to=2025-06-01', 'period_reversed', 'from'],
    ['from=2019-01-01&to=2024-01-01', 'period_too_long', 'to'],
  ]) {
    r = await api(`${G}?${query}`, { token: lena.token });
    assert.equal(r.status, 422, query);
    assert.equal(r.body.error.code, code, query);
    assert.equal(r.body.error.field, field, query);
    assert.ok(r.body.error.message.length > 10);
  }
});

test('API: admins compare every group, sorted as asked; nobody else may', async () => {
  const r = await api('/api/v1/association/engagement', { token: avery.token });
  assert.equal(r.status, 200);
  assert.equal(r.body.sort, 'name');
  const names = r.body.groups.map((g) => g.name);
  assert.deepEqual(names, [...names].sort());
  const dm = r.body.groups.find((g) => g.slug === 'data-measurement');
  assert.equal(dm.replies, 1);
  assert.equal(dm.questions_answered_share, 1);
  assert.ok(r.body.groups.find((g) => g.slug === 'secret'));
  const byReplies = await api('/api/v1/association/engagement?sort=replies', { token: avery.token });
  assert.equal(byReplies.body.groups[0].slug, 'data-measurement');
  const bad = await api('/api/v1/association/engagement?sort=fame', { token: avery.token });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_sort');
  assert.equal((await api('/api/v1/association/engagement?from=2026-13-01', { token: avery.token })).status, 422);
  assert.equal((await api('/api/v1/association/engagement', { token: lena.token })).status, 404);
  assert.equal((await api('/api/v1/association/engagement?from=nonsense', { token: lena.token })).status, 404);
  assert.equal((await api('/api/v1/association/engagement')).status, 401);
});

test('Pages: the dashboard for staff, with charts, tables and exports; a clear refusal for members', async () => {
  let r = await page('/groups/data-measurement', lena);
  assert.match(r.text, /href="\/groups\/data-measurement\/dashboard"/);
  r = await page('/groups/data-measurement', ana);
  assert.doesNotMatch(r.text, /\/dashboard"/);

  r = await page('/groups/data-measurement/dashboard', lena);
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>Data and Measurement: dashboard<\/h1>/);
  assert.match(r.text, /Not enough answers yet \(fewer than 5\)/);
  assert.equal((r.text.match(/role="img"/g) || []).length, 4);
  assert.equal((r.text.match(/<desc id=/g) || []).length, 4);
  assert.match(r.text, /<th scope="row">Replies<\/th><td>1<\/td>/);
  assert.match(r.text, /<th scope="row">Share of questions answered<\/th><td>100%<\/td>/);
  assert.match(r.text, /href="\/groups\/data-measurement\/engagement\.csv\?from=\d{4}-\d{2}-01&amp;to=/);
  for (const path of ['outcomes.csv', 'outcomes/answers.csv', 'outcomes/columns.csv', 'engagement/columns.csv']) {
    assert.ok(r.text.includes(`href="/groups/data-measurement/${path}"`), path);
  }

  r = await page('/groups/data-measurement/dashboard', ana);
  assert.equal(r.status, 403);
  assert.match(r.text, /Only the group&apos;s staff liaisons/);
  r = await page('/groups/data-measurement/dashboard');
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/signin\?next=/);
  assert.equal((await page('/groups/secret/dashboard', lena)).status, 404);

  // A period that is not one: the form again, with the error and what was typed.
  r = await page('/groups/data-measurement/dashboard?from=2026-02-30&to=2026-03-01', lena);
  assert.equal(r.status, 422);
  assert.match(r.text, /class="error-summary"/);
  assert.match(r.text, /href="#field-from"/);
  assert.match(r.text, /id="field-from-error"/);
  assert.match(r.text, /value="2026-02-30"/);
  assert.doesNotMatch(r.text, /role="img"/);
});

test('Exports: engagement by month and the column definitions, as RFC 4180 CSV', async () => {
  let r = await page('/groups/data-measurement/engagement.csv', lena);
  assert.equal(r.status, 200);
  assert.match(r.type, /^text\/csv; charset=utf-8/);
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="data-measurement-engagement-\d{4}-\d{2}-01-to-\d{4}-\d{2}-\d{2}\.csv"$/);
  const lines = r.text.split('\r\n');
  assert.equal(lines.at(-1), '');
  assert.equal(lines.length, 1 + 12 + 1 + 1);
  const header = lines[0].split(',');
  assert.deepEqual(header.slice(0, 3), ['month', 'members_total', 'members_new']);
  const total = Object.fromEntries(lines[13].split(',').map((v, i) => [header[i], v]));
  assert.equal(total.month, 'total');
  assert.equal(total.replies, '1');
  assert.equal(total.questions_answered_share, '1.0000');
  const first = Object.fromEntries(lines[1].split(',').map((v, i) => [header[i], v]));
  assert.equal(first.median_first_reply_seconds, '');

  r = await page('/groups/data-measurement/engagement/columns.csv', lena);
  assert.equal(r.status, 200);
  const cols = r.text.trim().split('\r\n');
  assert.equal(cols[0], 'column,meaning');
  assert.equal(cols.length, header.length + 1);
  assert.ok(cols.some((c) => c.startsWith('median_first_reply_seconds,')));

  assert.equal((await page('/groups/data-measurement/engagement.csv', ana)).status, 403);
  assert.equal((await page('/groups/secret/engagement/columns.csv', ana)).status, 404);
  assert.equal((await page('/groups/data-measurement/engagement.csv?to=nope', lena)).status, 422);
});

test('The association-wide view: sortable, linked to each dashboard, exported safely', async () => {
  let r = await page('/admin/groups/dashboard', avery);
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>Groups compared<\/h1>/);
  assert.match(r.text, /<th scope="col" aria-sort="ascending">Group<\/th>/);
  assert.match(r.text, /href="\/groups\/data-measurement\/dashboard\?from=/);
  r = await page('/admin/groups/dashboard?sort=replies', avery);
  assert.match(r.text, /aria-sort="descending">Replies</);
  const firstRow = r.text.split('<tbody>')[1].split('</tr>')[0];
  assert.match(firstRow, /Data and Measurement/);
  assert.equal((await page('/admin/groups/dashboard?sort=fame', avery)).status, 400);
  assert.equal((await page('/admin/groups/dashboard?from=2026-02-30', avery)).status, 422);
  assert.equal((await page('/admin/groups/dashboard', lena)).status, 404);
  assert.equal((await page('/account', avery)).text.includes('href="/admin/groups/dashboard"'), true);

  // A name a spreadsheet would run as a formula is defused and quoted.
  await sql(`UPDATE interest_groups SET name = '=HYPERLINK("http://evil.example","x")' WHERE slug = 'secret'`);
  r = await page('/admin/groups/engagement.csv', avery);
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(`secret,"'=HYPERLINK(""http://evil.example"",""x"")",`), r.text);
  assert.ok(r.text.startsWith('group_slug,group_name,members_total,'));
  r = await page('/admin/groups/engagement/columns.csv', avery);
  assert.equal(r.status, 200);
  assert.ok(r.text.includes('group_slug,'));
  assert.equal((await page('/admin/groups/engagement.csv', lena)).status, 404);
});

test('Pages: the dashboard shows the outcome check-ins once enough members answered', async () => {
  // Five accounts in the group answered the immediate check-in in one month,
  // two months ago: one release block of exactly the threshold.
  const at = Math.floor(Date.now() / 1000) - 62 * 86400;
  const month = new Date(at * 1000).toISOString().slice(0, 7);
  await sql(
    "INSERT INTO accounts (email, name, name_key, password_hash, created_at, updated_at) " +
    "SELECT 'answer' || n || '@example.org', 'Answer ' || n, 'answer ' || n, '!', 0, 0 " +
    'FROM (SELECT 1 AS n UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5);' +
    "INSERT INTO group_members (group_id, account_id, role, joined_at) " +
    "SELECT g.id, a.id, 'member', 0 FROM interest_groups g, accounts a " +
    "WHERE g.slug = 'data-measurement' AND a.email LIKE 'answer%@example.org';" +
    "INSERT INTO checkins (group_id, account_id, moment, state, quote_consent, created_at) " +
    `SELECT group_id, account_id, 'immediate', 'answered', 0, ${at} FROM group_members ` +
    "WHERE account_id IN (SELECT id FROM accounts WHERE email LIKE 'answer%@example.org');" +
    "INSERT INTO checkin_answers (checkin_id, question_id, question, position, value) " +
    "SELECT c.id, s.id, s.text, s.position, CASE WHEN s.id = 'network' THEN 5 ELSE 4 END " +
    "FROM checkins c JOIN accounts a ON a.id = c.account_id, outcome_statements s " +
    "WHERE a.email LIKE 'answer%@example.org' AND s.active = 1;" +
    "INSERT INTO checkin_answers (checkin_id, question_id, question, position, text) " +
    "SELECT c.id, 'learned', 'What did you learn or apply?', 100, 'Counting is not measuring.' " +
    "FROM checkins c JOIN accounts a ON a.id = c.account_id WHERE a.email = 'answer1@example.org';");
  const r = await page('/groups/data-measurement/dashboard', lena);
  assert.equal(r.status, 200);
  // The immediate moment's chart and table, with its real counts; the
  // follow-up moment is still under the threshold.
  assert.match(r.text, /I have grown my professional network\., Immediate: 100% agree, 0% neither, 0% disagree \(5 answers\)/);
  assert.match(r.text, /I have built professional skills\., Follow-up: Not enough answers yet \(fewer than 5\)/);
  assert.match(r.text, /Counting is not measuring\./);
  assert.ok(r.text.includes(month.slice(0, 4)), 'the covered period is shown');
  const api5 = await api('/api/v1/groups/data-measurement/outcomes', { token: lena.token });
  assert.equal(api5.status, 200);
  assert.equal(api5.body.outcomes.immediate.respondents, 5);

  // The association-wide view compares the groups' check-ins too: five
  // immediate check-ins, every answer agreeing; the rest too few to show.
  const all = await page('/admin/groups/dashboard', avery);
  assert.equal(all.status, 200);
  assert.match(all.text, /<h2 id="outcomes-compared">Outcomes compared<\/h2>/);
  assert.match(all.text, /Data and Measurement<\/a><\/th><td>5<\/td><td>100%<\/td><td>too few to show<\/td><td>—<\/td><\/tr>/);
  assert.match(all.text, /Health<\/a><\/th><td>too few to show<\/td>/);
});
