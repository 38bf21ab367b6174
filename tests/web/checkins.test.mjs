// Outcome check-ins and outcomes: the JSON API, the pages and the CSV
// exports, with bad input and privacy (404 for check-ins of groups one is
// not in, 403 for non-staff outcomes), against the real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, run, DEMO_PASSWORD } from '../support/server.mjs';
import { formClient, cookieOf, csrfOf } from '../support/forms.mjs';

let srv;
after(async () => { await srv?.stop(); });

const api = async (path, { method = 'GET', body, token, headers = {} } = {}) => {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const r = await fetch(srv.base + path, {
    method, headers: h, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null, headers: r.headers };
};
const tokenOf = async (email, password = DEMO_PASSWORD) =>
  (await api('/api/v1/session', { method: 'POST', body: { email, password } })).body.token;
const sql = (statement) => run('sqlite3', [join(srv.dataDir, 'roundtable.db'), statement]);

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

const G = '/api/v1/groups/data-measurement';
const STATEMENTS = ['network', 'skills', 'knowledge', 'confidence', 'resources', 'apply', 'share', 'engage'];
const answers = (value = 4, extra = []) =>
  [...STATEMENTS.map((id) => ({ id, value })), { id: 'learned', value: 'Survey design' }, ...extra];

test('API: nothing is due at first; any moment may be asked for; answers are checked', async () => {
  let r = await api(`${G}/checkin`, { token: ana });
  assert.equal(r.status, 204);
  r = await api(`${G}/checkin?moment=immediate`, { token: ana });
  assert.equal(r.status, 200);
  assert.equal(r.body.moment, 'immediate');
  assert.equal(r.body.due, false);
  assert.deepEqual(r.body.questions.map((q) => q.id), [...STATEMENTS, 'learned', 'improve']);
  assert.deepEqual(r.body.questions[0],
    { id: 'network', text: 'I have grown my professional network.', type: 'scale' });
  assert.equal(r.body.questions[8].type, 'text');
  r = await api(`${G}/checkin?moment=soon`, { token: ana });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'invalid_moment');
  assert.equal(r.body.error.field, 'moment');

  const bad = async (body, status, code, field) => {
    const res = await api(`${G}/checkin`, { method: 'POST', token: ana, body });
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.error.code, code);
    if (field) assert.equal(res.body.error.field, field);
    assert.ok(res.body.error.message.length > 0);
  };
  const withValue = (id, value) => answers().map((a) => (a.id === id ? { id, value } : a));
  await bad({ moment: 'immediate', answers: withValue('skills', 6) }, 422, 'answer_out_of_range', 'skills');
  await bad({ moment: 'immediate', answers: withValue('skills', 0) }, 422, 'answer_out_of_range', 'skills');
  await bad({ moment: 'immediate', answers: withValue('skills', 1e12) }, 422, 'answer_out_of_range', 'skills');
  await bad({ moment: 'immediate', answers: withValue('skills', '4') }, 422, 'invalid_answer', 'skills');
  await bad({ moment: 'immediate', answers: withValue('skills', 3.5) }, 422, 'invalid_answer', 'skills');
  await bad({ moment: 'immediate', answers: withValue('learned', 3) }, 422, 'invalid_answer', 'learned');
  await bad({ moment: 'immediate', answers: answers().filter((a) => a.id !== 'share') }, 422, 'answer_required', 'share');
  await bad({ moment: 'immediate', answers: answers(4, [{ id: 'happiness', value: 5 }]) }, 422, 'unknown_question', 'answers');
  await bad({ moment: 'immediate', answers: answers(4, [{ id: 'improve', value: 'x'.repeat(2001) }]) },
    422, 'answer_too_long', 'improve');
  await bad({ moment: 'later', answers: answers() }, 422, 'invalid_moment', 'moment');
  await bad({ moment: 'immediate', answers: 'all good' }, 400, 'invalid_field', 'answers');
  await bad({ moment: 'immediate', answers: answers(), mood: 'happy' }, 400, 'unknown_field');
  await bad({ moment: 'immediate', answers: answers(), quote_consent: 'yes' }, 400, 'invalid_field', 'quote_consent');
  // Nothing was recorded.
  r = await api('/api/v1/me/checkins', { token: ana });
  assert.deepEqual(r.body.checkins, []);
});

test('API: a check-in is answered once per moment; the member lists and deletes it', async () => {
  const key = { 'idempotency-key': 'checkin-ana-1' };
  let r = await api(`${G}/checkin`, { method: 'POST', token: ana, headers: key,
    body: { moment: 'immediate', answers: answers(5), quote_consent: true } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const c = r.body.checkin;
  assert.ok(c.id > 0);
  assert.equal(c.moment, 'immediate');
  assert.equal(c.state, 'answered');
  assert.equal(c.quote_consent, true);
  assert.equal(c.group.slug, 'data-measurement');
  assert.deepEqual(c.answers[0], { id: 'network', question: 'I have grown my professional network.',
    type: 'scale', value: 5 });
  assert.deepEqual(c.answers.at(-1), { id: 'learned', question: 'What did you learn or apply?',
    type: 'text', value: 'Survey design' });
  // The same key replays; a second answer is a conflict.
  r = await api(`${G}/checkin`, { method: 'POST', token: ana, headers: key,
    body: { moment: 'immediate', answers: answers(5), quote_consent: true } });
  assert.equal(r.status, 201);
  assert.equal(r.body.checkin.id, c.id);
  r = await api(`${G}/checkin`, { method: 'POST', token: ana, body: { moment: 'immediate', answers: answers(3) } });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'already_checked_in');
  r = await api(`${G}/checkin?moment=immediate`, { token: ana });
  assert.equal(r.status, 409);
  r = await api(`${G}/checkin/skip`, { method: 'POST', token: ana, body: { moment: 'immediate' } });
  assert.equal(r.status, 409);

  r = await api('/api/v1/me/checkins', { token: ana });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.checkins.map((x) => x.id), [c.id]);
  assert.equal(r.body.next, null);
  r = await api('/api/v1/me/checkins', { token: grant });
  assert.deepEqual(r.body.checkins, []);
  // Nobody else can delete it, and nobody learns that it exists.
  for (const t of [grant, lena, avery]) {
    r = await api(`/api/v1/checkins/${c.id}`, { method: 'DELETE', token: t });
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'not_found');
  }
  r = await api(`/api/v1/checkins/${c.id}`, { method: 'DELETE' });
  assert.equal(r.status, 401);
  r = await api(`/api/v1/checkins/${c.id}`, { method: 'DELETE', token: ana });
  assert.equal(r.status, 204);
  r = await api(`/api/v1/checkins/${c.id}`, { method: 'DELETE', token: ana });
  assert.equal(r.status, 404);
  r = await api('/api/v1/me/checkins', { token: ana });
  assert.deepEqual(r.body.checkins, []);
  r = await api('/api/v1/checkins/nope', { method: 'DELETE', token: ana });
  assert.equal(r.status, 404);
});

test('API: check-ins of groups one is not in are 404; visitors must sign in', async () => {
  for (const t of [nora, lena, avery]) {
    let r = await api(`${G}/checkin?moment=immediate`, { token: t });
    assert.equal(r.status, 404, JSON.stringify(r.body));
    r = await api(`${G}/checkin`, { method: 'POST', token: t, body: { moment: 'immediate', answers: answers() } });
    assert.equal(r.status, 404);
    r = await api(`${G}/checkin/skip`, { method: 'POST', token: t, body: { moment: 'immediate' } });
    assert.equal(r.status, 404);
  }
  let r = await api(`${G}/checkin`);
  assert.equal(r.status, 401);
  r = await api('/api/v1/groups/no-such-group/checkin', { token: ana });
  assert.equal(r.status, 404);
  r = await api('/api/v1/me/checkins');
  assert.equal(r.status, 401);
});

test('API: a check-in becomes due after an accepted answer, and "Not now" stops it', async () => {
  let r = await api(`${G}/threads`, { method: 'POST', token: grant,
    body: { kind: 'question', title: 'Counting visits?', body: 'How do you count visits?' } });
  assert.equal(r.status, 201);
  const thread = r.body.thread.id;
  r = await api(`/api/v1/threads/${thread}/posts`, { method: 'POST', token: ana, body: { body: 'Door counters.' } });
  assert.equal(r.status, 201);
  const post = r.body.post.id;
  r = await api(`${G}/checkin`, { token: grant });
  assert.equal(r.status, 204);
  r = await api(`/api/v1/threads/${thread}/answer`, { method: 'POST', token: grant, body: { post_id: post } });
  assert.ok(r.status < 300, JSON.stringify(r.body));
  r = await api(`${G}/checkin`, { token: grant });
  assert.equal(r.status, 200);
  assert.equal(r.body.moment, 'immediate');
  assert.equal(r.body.due, true);
  r = await api(`${G}/checkin/skip`, { method: 'POST', token: grant, body: { moment: 'immediate' } });
  assert.equal(r.status, 200);
  assert.equal(r.body.checkin.state, 'skipped');
  r = await api(`${G}/checkin`, { token: grant });
  assert.equal(r.status, 204);
  r = await api(`${G}/checkin/skip`, { method: 'POST', token: grant, body: { moment: 'whenever' } });
  assert.equal(r.status, 422);
});

test('outcomes: staff only, suppressed under the threshold, numbers at it', async () => {
  let r = await api(`${G}/outcomes`, { token: ana });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'not_staff');
  r = await api(`${G}/outcomes`);
  assert.equal(r.status, 401);
  r = await api('/api/v1/groups/no-such-group/outcomes', { token: lena });
  assert.equal(r.status, 404);
  r = await api(`${G}/outcomes?from=2026-13-01`, { token: lena });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'from');
  r = await api(`${G}/outcomes?from=2026-03-01&to=2026-02-01`, { token: lena });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'invalid_period');
  // Members answering this month: four are not enough.
  const people = [];
  for (let i = 0; i < 5; i++) {
    const email = `outcomes${i}@example.org`;
    const created = await api('/api/v1/accounts', { method: 'POST',
      body: { email, name: `Outcome Member ${i}`, password: 'a long enough password' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await sql(`UPDATE accounts SET email_verified_at = 1 WHERE email = '${email}'`);
    const t = await tokenOf(email, 'a long enough password');
    r = await api('/api/v1/groups/social-work/membership', { method: 'POST', token: t });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    people.push(t);
  }
  const S = '/api/v1/groups/social-work';
  for (const [i, t] of people.slice(0, 4).entries()) {
    r = await api(`${S}/checkin`, { method: 'POST', token: t,
      body: { moment: 'immediate', answers: answers(i + 1, [{ id: 'improve', value: '=HYPERLINK("x")' }]) } });
    assert.equal(r.status, 201);
  }
  r = await api(`${S}/outcomes`, { token: lena });
  assert.equal(r.status, 200);
  let o = r.body.outcomes;
  assert.equal(o.threshold, 5);
  assert.equal(o.immediate.suppressed, true);
  assert.equal('respondents' in o.immediate, false);
  assert.equal(o.immediate.items[0].suppressed, true);
  assert.equal('counts' in o.immediate.items[0], false);
  assert.deepEqual(o.open_answers, []);
  r = await api(`${S}/checkin`, { method: 'POST', token: people[4],
    body: { moment: 'immediate', answers: answers(5), quote_consent: true } });
  assert.equal(r.status, 201);
  r = await api(`${S}/outcomes`, { token: avery });
  o = r.body.outcomes;
  assert.equal(o.immediate.suppressed, false);
  assert.equal(o.immediate.respondents, 5);
  assert.deepEqual(o.immediate.items[0].counts,
    { strongly_disagree: 1, disagree: 1, neutral: 1, agree: 1, strongly_agree: 1 });
  assert.equal(o.follow_up.suppressed, true);
  assert.equal(o.open_answers.filter((a) => a.question_id === 'learned').length, 5);
  assert.deepEqual(o.open_answers.filter((a) => a.quoted_name).map((a) => a.quoted_name),
    ['Outcome Member 4']);
  assert.match(o.open_answers[0].month, /^\d{4}-\d{2}$/);

  // The CSV exports, for staff only, with formulas defused.
  const csv = async (path, token) => {
    const res = await fetch(srv.base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text(),
      disposition: res.headers.get('content-disposition') };
  };
  let f = await csv('/groups/social-work/outcomes.csv', lena);
  assert.equal(f.status, 200);
  assert.match(f.type, /^text\/csv/);
  assert.match(f.disposition, /attachment; filename="social-work-outcomes.csv"/);
  let lines = f.text.trim().split('\r\n');
  assert.equal(lines[0], 'moment,statement_id,statement,answered,strongly_disagree,disagree,neutral,agree,strongly_agree,suppressed');
  assert.equal(lines[1], 'immediate,network,I have grown my professional network.,5,1,1,1,1,1,false');
  assert.ok(lines.includes('follow_up,network,I have grown my professional network.,,,,,,,true'));
  f = await csv('/groups/social-work/outcomes/answers.csv', lena);
  lines = f.text.trim().split('\r\n');
  assert.equal(lines[0], `row,month,moment,${STATEMENTS.join(',')},learned,improve,quoted_name`);
  assert.equal(lines.length, 6);
  assert.deepEqual(lines.slice(1).map((l) => Number(l.split(',')[0])).sort(), [1, 2, 3, 4, 5]);
  assert.equal(lines.filter((l) => l.includes(`"'=HYPERLINK(""x"")"`)).length, 4);
  assert.equal(lines.filter((l) => l.endsWith(',Outcome Member 4')).length, 1);
  f = await csv('/groups/social-work/outcomes/columns.csv', lena);
  assert.match(f.text, /^column,meaning\r\n/);
  assert.match(f.text, /\r\nquoted_name,/);
  for (const path of ['/groups/social-work/outcomes.csv', '/groups/social-work/outcomes/answers.csv']) {
    assert.equal((await csv(path, people[0])).status, 403);
  }
  assert.equal((await csv('/groups/social-work/outcomes.csv?to=yesterday', lena)).status, 422);
});

test('API: admins edit the outcome statements and threshold; others get 404', async () => {
  for (const t of [ana, lena]) {
    const r = await api('/api/v1/association/outcomes', { token: t });
    assert.equal(r.status, 404);
  }
  let r = await api('/api/v1/association/outcomes', { token: avery });
  assert.equal(r.status, 200);
  assert.equal(r.body.outcomes.threshold, 5);
  assert.equal(r.body.outcomes.statements.length, 8);
  r = await api('/api/v1/association/outcomes', { method: 'PUT', token: avery, body: { threshold: 2 } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'threshold');
  r = await api('/api/v1/association/outcomes', { method: 'PUT', token: lena, body: { threshold: 4 } });
  assert.equal(r.status, 404);
  r = await api('/api/v1/association/outcomes', { method: 'PUT', token: avery,
    body: { threshold: 6, statements: [{ id: 'engage', active: false }, { id: 'mentoring', text: 'I found a mentor.', position: 20 }] } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.outcomes.threshold, 6);
  const engage = r.body.outcomes.statements.find((s) => s.id === 'engage');
  assert.equal(engage.active, false);
  assert.equal(engage.text, 'I take part in the association more than before.');
  assert.equal(r.body.outcomes.statements.at(-1).id, 'mentoring');
  r = await api(`${G}/checkin?moment=follow_up`, { token: grant });
  const ids = r.body.questions.map((q) => q.id);
  assert.ok(!ids.includes('engage'));
  assert.ok(ids.includes('mentoring'));
  r = await api('/api/v1/association/outcomes', { method: 'PUT', token: avery,
    body: { statements: [{ id: 'Bad Id', text: 'x' }] } });
  assert.equal(r.status, 422);
  r = await api('/api/v1/association/outcomes', { method: 'PUT', token: avery, body: { colour: 'red' } });
  assert.equal(r.status, 400);
  // Back to how the other tests expect it.
  r = await api('/api/v1/association/outcomes', { method: 'PUT', token: avery,
    body: { threshold: 5, statements: [{ id: 'engage', active: true }, { id: 'mentoring', active: false }] } });
  assert.equal(r.status, 200);
});

test('pages: the notice, the form with errors that keep what was typed, the thanks, and deleting', async () => {
  const { form, post, get } = formClient(() => srv.base);
  // Grant skipped his immediate check-in; let his follow-up come due.
  await sql("UPDATE checkins SET created_at = created_at - 43 * 86400 WHERE moment = 'immediate' " +
    "AND account_id = (SELECT id FROM accounts WHERE email = 'grace@demo.roundtable.test')");
  let r = await post('/signin', form({ email: 'grace@demo.roundtable.test', password: DEMO_PASSWORD }));
  const cookie = cookieOf(r);
  let page = await (await get('/groups/data-measurement', { cookie })).text();
  assert.match(page, /Is this group helping you\?/);
  assert.match(page, /href="\/groups\/data-measurement\/checkin\?moment=follow_up"/);
  const csrf = csrfOf(page);

  r = await get('/groups/data-measurement/checkin?moment=follow_up', { cookie });
  assert.equal(r.status, 200);
  page = await r.text();
  assert.match(page, /<legend>I have grown my professional network\.<\/legend>/);
  assert.match(page, /<label for="answer-network-5">Strongly agree<\/label>/);
  // Two statements answered, text typed: errors for the rest, the answers kept.
  r = await post('/groups/data-measurement/checkin', form({ csrf_token: csrf, moment: 'follow_up',
    network: '5', skills: '2', learned: 'Door counters & <b>tallies</b>', idempotency_key: 'k1' }), { cookie });
  assert.equal(r.status, 422);
  page = await r.text();
  assert.match(page, /class="error-summary"/);
  assert.match(page, /href="#answer-knowledge-1"/);
  assert.match(page, /id="answer-network-5" name="network" value="5" checked/);
  assert.match(page, /Door counters &amp; &lt;b&gt;tallies&lt;\/b&gt;<\/textarea>/);
  assert.match(page, /<title>Error: /);
  const full = { csrf_token: csrf, moment: 'follow_up', idempotency_key: 'k2', learned: 'Door counters' };
  for (const id of STATEMENTS) full[id] = '4';
  r = await post('/groups/data-measurement/checkin', form(full), { cookie });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/groups/data-measurement/checkin/thanks');
  page = await (await get('/groups/data-measurement/checkin/thanks', { cookie })).text();
  assert.match(page, /Thank you: your answers are saved/);
  page = await (await get('/groups/data-measurement', { cookie })).text();
  assert.doesNotMatch(page, /Is this group helping you\?/);

  page = await (await get('/me/checkins', { cookie })).text();
  assert.match(page, /data-measurement">Data and Measurement<\/a>: six-week/);
  assert.match(page, /<dd>Agree<\/dd>/);
  assert.match(page, /<dd>Door counters<\/dd>/);
  const id = page.match(/\/me\/checkins\/(\d+)\/delete/)[1];
  page = await (await get(`/me/checkins/${id}/delete`, { cookie })).text();
  assert.match(page, /Delete your answers\?/);
  r = await post(`/me/checkins/${id}/delete`, form({ csrf_token: csrf }), { cookie });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/me/checkins?notice=checkin_deleted');
  page = await (await get('/me/checkins?notice=checkin_deleted', { cookie })).text();
  assert.match(page, /Your answers to that check-in are deleted/);
  assert.match(page, /You have not answered a check-in yet/);
  // Without the CSRF token nothing happens; another member's id is 404.
  r = await post(`/me/checkins/${id}/delete`, form({}), { cookie });
  assert.equal(r.status, 403);
  assert.equal((await get('/me/checkins/999999/delete', { cookie })).status, 404);
  // The account page links here.
  page = await (await get('/account', { cookie })).text();
  assert.match(page, /href="\/me\/checkins"/);
  // Signed out: to sign in.
  r = await get('/groups/data-measurement/checkin');
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/signin\?next=/);
});

test('pages: "Not now" on the notice records a skip', async () => {
  const { form, post, get } = formClient(() => srv.base);
  await sql("UPDATE group_members SET joined_at = joined_at - 31 * 86400 WHERE account_id = " +
    "(SELECT id FROM accounts WHERE email = 'outcomes0@example.org')");
  let r = await post('/signin', form({ email: 'outcomes0@example.org', password: 'a long enough password' }));
  const cookie = cookieOf(r);
  // Their immediate check-in is answered, so the follow-up is the one left.
  let page = await (await get('/groups/social-work', { cookie })).text();
  assert.match(page, /Check in: tell us whether this group helps you/);
  await sql("UPDATE checkins SET created_at = created_at - 43 * 86400 WHERE account_id = " +
    "(SELECT id FROM accounts WHERE email = 'outcomes0@example.org')");
  page = await (await get('/groups/social-work', { cookie })).text();
  assert.match(page, /Not now/);
  r = await post('/groups/social-work/checkin/skip', form({ csrf_token: csrfOf(page), moment: 'follow_up' }), { cookie });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/groups/social-work?notice=checkin_skipped');
  page = await (await get('/groups/social-work', { cookie })).text();
  assert.doesNotMatch(page, /Is this group helping you\?/);
  assert.match(page, /checkin\?moment=follow_up">Check in/);
});

test('pages: /admin/outcomes for admins only, with errors that keep what was typed', async () => {
  const { form, post, get } = formClient(() => srv.base);
  let r = await post('/signin', form({ email: 'liaison@demo.roundtable.test', password: DEMO_PASSWORD }));
  assert.equal((await get('/admin/outcomes', { cookie: cookieOf(r) })).status, 404);
  r = await post('/signin', form({ email: 'admin@demo.roundtable.test', password: DEMO_PASSWORD }));
  const cookie = cookieOf(r);
  let page = await (await get('/account', { cookie })).text();
  assert.match(page, /href="\/admin\/outcomes"/);
  page = await (await get('/admin/outcomes', { cookie })).text();
  assert.match(page, /Outcome statements<\/h1>/);
  assert.match(page, /value="I have grown my professional network\."/);
  const csrf = csrfOf(page);
  const fields = { csrf_token: csrf, threshold: '2', count: '1', id_0: 'network',
    text_0: 'I met new people.', position_0: '1', active_0: '1' };
  r = await post('/admin/outcomes', form(fields), { cookie });
  assert.equal(r.status, 422);
  page = await r.text();
  assert.match(page, /href="#field-threshold"/);
  assert.match(page, /value="I met new people\."/);
  r = await post('/admin/outcomes', form({ ...fields, threshold: '5', new_id: 'mentor', new_text: 'I found a mentor.' }), { cookie });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/admin/outcomes?notice=outcomes_saved');
  page = await (await get('/admin/outcomes', { cookie })).text();
  assert.match(page, /value="I met new people\."/);
  assert.match(page, /value="I found a mentor\."/);
  r = await post('/admin/outcomes', form({ csrf_token: csrf, threshold: '5', count: '0', new_id: 'Bad Id', new_text: 'x' }), { cookie });
  assert.equal(r.status, 422);
  assert.match(await r.text(), /lower-case letters/);
});
