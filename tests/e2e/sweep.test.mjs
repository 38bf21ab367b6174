// Every page, signed out and signed in, through axe (WCAG 2.1 AA, zero
// violations) and the Nu HTML checker (zero errors).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { launch } from '../support/browser.mjs';
import { startServer, run, ROOT, DEMO_PASSWORD } from '../support/server.mjs';
import { startCapture, unsubscribePath } from '../support/mail_capture.mjs';
import { linkFor } from '../support/queued_mail.mjs';
import { samplePng } from '../support/sample_files.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
let srv, smtp, browser, outDir;
before(async () => {
  // With mail, so that a real unsubscribe link can be swept.
  smtp = await startCapture();
  srv = await startServer({ args: ['--smtp-url', smtp.url, '--mail-domain', 'groups.example.test'] });
  browser = await launch();
  outDir = mkdtempSync(join(tmpdir(), 'roundtable-sweep-'));
});
after(async () => {
  await srv?.stop();
  await smtp?.stop();
  await browser?.close();
  rmSync(outDir, { recursive: true, force: true });
});

// One tab serves the whole sweep: opening and closing many tabs while a
// form navigation is still settling can wedge Chromium's tab creation.
async function signIn(page, email) {
  await page.goto(srv.base + '/signin');
  await page.fill('#field-email', email);
  await page.fill('#field-password', DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('.banner');
}

// Pages as [name, path, prepare?]; prepare(page) may act before the scan
// (for instance submit a form with errors).
const visitorPages = [
  ['home', '/'],
  ['groups', '/groups'],
  ['group-members-only', '/groups/data-measurement'],
  ['group-open', '/groups/social-work'],
  ['signin', '/signin'],
  ['register', '/register'],
  ['not-found', '/no-such-page'],
  ['register-errors', '/register', async (page) => {
    await page.fill('#field-email', 'not an email');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForSelector('.error-summary');
  }],
  ['forgot-password', '/forgot-password'],
  ['forgot-password-errors', '/forgot-password', async (page) => {
    await page.fill('#field-email', 'not an email');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.waitForSelector('.error-summary');
  }],
  ['forgot-password-sent', '/forgot-password', async (page) => {
    await page.fill('#field-email', 'someone@example.org');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.waitForSelector('text=Check your email');
  }],
  ['link-not-found', '/verify/no-such-token'],
];
// Pages filled by setupDiscussions(): {thread} and {post} are replaced.
const discussionPages = [
  ['group-with-threads', '/groups/social-work'],
  ['new-thread', '/groups/social-work/threads/new?kind=story'],
  ['new-thread-errors', '/groups/social-work/threads/new', async (page) => {
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page.waitForSelector('.error-summary');
  }],
  ['new-thread-preview', '/groups/social-work/threads/new', async (page) => {
    await page.fill('#field-body', '| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n- [x] done\n\n**bold** [link](https://example.org)');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.waitForSelector('#preview-heading');
  }],
  ['thread', '/threads/{thread}'],
  ['thread-reply-errors', '/threads/{thread}', async (page) => {
    await page.getByRole('button', { name: 'Post reply' }).click();
    await page.waitForSelector('.error-summary');
  }],
  ['edit-post', '/posts/{post}/edit'],
  ['delete-post', '/posts/{post}/delete'],
  ['revisions', '/posts/{post}/revisions'],
  ['recommended', '/groups/social-work/recommended'],
  ['message-form', '/posts/{other_post}/message'],
  ['inbox', '/conversations'],
  ['conversation', '/conversations/{conversation}'],
  ['notifications', '/notifications'],
  ['unsubscribe', '{unsubscribe}', async (page) => { await page.waitForSelector('h1:has-text("Stop emails from")'); }],
  ['unsubscribe-done', '{unsubscribe}', async (page) => {
    await page.getByRole('button', { name: 'Stop these emails' }).click();
    await page.waitForSelector('h1:has-text("no more emails")');
  }],
  // A notification mail's link: it stops one kind of email, and can undo.
  ['unsubscribe-kind', '{unsubscribe_kind}', async (page) => { await page.waitForSelector('h1:has-text("Stop emails about")'); }],
  ['unsubscribe-kind-done', '{unsubscribe_kind}', async (page) => {
    await page.getByRole('button', { name: 'Stop these emails' }).click();
    await page.waitForSelector('h1:has-text("no more emails about")');
  }],
  ['unsubscribe-kind-undone', '{unsubscribe_kind}', async (page) => {
    await page.getByRole('button', { name: 'Stop these emails' }).click();
    await page.getByRole('button', { name: 'Turn these emails back on' }).click();
    await page.waitForSelector('h1:has-text("back on")');
  }],
];
// After the swept member's mail was paused for bouncing.
const pausedPages = [
  ['mail-paused-home', '/', async (page) => { await page.waitForSelector('button:has-text("Resume email")'); }],
  ['mail-paused-settings', '/settings/notifications', async (page) => {
    await page.waitForSelector('button:has-text("Resume email")');
  }],
];

// Links from account mail, none of them used: a fresh unverified account's
// verification link, a reset link and an email-change link for Ana.
const PASSWORD = 'a long enough passphrase';
async function setupAccountMail() {
  const post = (path, body, token, method = 'POST') => fetch(srv.base + path, { method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body) });
  const email = `sweep.${Date.now()}@example.org`;
  await post('/api/v1/accounts', { name: 'Sam Sweep', email, password: PASSWORD });
  await post('/api/v1/password-reset', { email: 'active@demo.roundtable.test' });
  const ana = await (await post('/api/v1/session', { email: 'active@demo.roundtable.test', password: DEMO_PASSWORD })).json();
  const next = `ana.${Date.now()}@example.org`;
  await post('/api/v1/me/email', { email: next, current_password: DEMO_PASSWORD }, ana.token, 'PATCH');
  return {
    email,
    verify: (await linkFor(srv.dataDir, email, '/verify/')).path,
    reset: (await linkFor(srv.dataDir, 'active@demo.roundtable.test', '/reset/')).path,
    change: (await linkFor(srv.dataDir, next, '/email-change/')).path,
  };
}

// Creates a question with a reply, an edit, a recommendation and a private
// message through the API, as Nora (the swept member) and Ana.
async function setupDiscussions() {
  const session = async (email) => {
    const r = await fetch(srv.base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
    return (await r.json()).token;
  };
  const call = async (token, method, path, body) => {
    const r = await fetch(srv.base + path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body ? JSON.stringify(body) : undefined });
    const text = await r.text();
    return text ? JSON.parse(text) : {};
  };
  const nora = await session('visitor@demo.roundtable.test');
  const ana = await session('active@demo.roundtable.test');
  await call(ana, 'POST', '/api/v1/groups/social-work/membership');
  const t = await call(nora, 'POST', '/api/v1/groups/social-work/threads',
    { kind: 'question', title: 'Where do you refer patrons for rent help?', body: 'Looking for **ideas**.' });
  const thread = t.thread.id;
  const reply = await call(ana, 'POST', `/api/v1/threads/${thread}/posts`, { body: 'Our county has a *hotline*. @Nora_Nonmember' });
  const mine = await call(nora, 'POST', `/api/v1/threads/${thread}/posts`, { body: 'Thanks, checking it.', reply_to: reply.post.id });
  await call(nora, 'PATCH', `/api/v1/posts/${mine.post.id}`, { body: 'Thanks, I am checking it now.' });
  await call(nora, 'POST', `/api/v1/posts/${reply.post.id}/recommendation`);
  await call(nora, 'POST', `/api/v1/threads/${thread}/answer`, { post_id: reply.post.id });
  const conv = await call(ana, 'POST', '/api/v1/conversations', { post_id: t.post.id, body: 'Happy to talk more.' });
  // Nora hears from the group in real time: the mail of Ana's next post
  // carries her unsubscribe link.
  await call(nora, 'PATCH', '/api/v1/groups/social-work/membership', { delivery: 'realtime' });
  const next = await call(ana, 'POST', `/api/v1/threads/${thread}/posts`, { body: 'One more idea.' });
  const mail = await smtp.waitFor((m) => m.headers['message-id'] === `<post-${next.post.id}@groups.example.test>`,
    'the real-time mail');
  // Ana's first reply reached Nora as a notification, with its own link.
  const notification = await smtp.waitFor((m) => m.rcptTo.includes('visitor@demo.roundtable.test') &&
    m.headers['message-id'] === `<post-${reply.post.id}@groups.example.test>`, 'the reply notification');
  return { thread, post: mine.post.id, other_post: reply.post.id, conversation: conv.conversation.id,
    unsubscribe: unsubscribePath(mail), unsubscribe_kind: unsubscribePath(notification) };
}

const memberPages = [
  ['member-home', '/'],
  ['member-group', '/groups/social-work'],
  ['members-list', '/groups/social-work/members'],
  ['account', '/account'],
  ['password', '/account/password'],
  ['password-errors', '/account/password', async (page) => {
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForSelector('.error-summary');
  }],
  ['members-forbidden', '/groups/health/members'],
  ['email', '/account/email'],
  ['email-errors', '/account/email', async (page) => {
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.waitForSelector('.error-summary');
  }],
  ['notification-settings', '/settings/notifications'],
  ['notification-settings-saved', '/settings/notifications?notice=notification_settings_saved'],
  ['notification-settings-errors', '/settings/notifications', async (page) => {
    // Only a tampered form can send a delivery that is not one of the radios.
    await page.locator('#delivery-social-work-weekly').evaluate((el) => { el.value = 'hourly'; el.checked = true; });
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForSelector('.error-summary');
  }],
];
// Feedback to the staff liaison, as the member who sends it.
const feedbackMemberPages = [
  ['feedback-form', '/groups/social-work/feedback/new'],
  ['feedback-form-errors', '/groups/social-work/feedback/new', async (page) => {
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.waitForSelector('.error-summary');
  }],
  ['feedback-mine-empty', '/groups/social-work/feedback'],
];
// ... and as the group's liaison, once Nora sent some (setupFeedback).
async function setupFeedback() {
  const session = async (email) => {
    const r = await fetch(srv.base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
    return (await r.json()).token;
  };
  const call = async (token, method, path, body) => {
    const r = await fetch(srv.base + path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body ? JSON.stringify(body) : undefined });
    return r.json();
  };
  const nora = await session('visitor@demo.roundtable.test');
  const lena = await session('liaison@demo.roundtable.test');
  const f = await call(nora, 'POST', '/api/v1/groups/social-work/feedback',
    { category: 'resource_request', body: 'A list of **local** housing contacts, please.', quote_consent: true });
  await call(lena, 'POST', `/api/v1/feedback/${f.feedback.id}/replies`, { body: 'Good idea: we will collect them.' });
  await call(lena, 'PATCH', `/api/v1/feedback/${f.feedback.id}`, { status: 'resolved' });
  return f.feedback.id;
}

// Before the swept member joins any group.
const noGroupPages = [
  ['notification-settings-empty', '/settings/notifications'],
  ['my-invitations-empty', '/invitations'],
];

// Invitations: the form, its errors and results, and the sent list, as
// Nora (a member of Social Work).
const invitePages = [
  ['invite-form', '/groups/social-work/invitations/new'],
  ['invite-form-errors', '/groups/social-work/invitations/new', async (page) => {
    await page.getByLabel('Email addresses').fill('not an address');
    await page.getByRole('button', { name: 'Send invitations' }).click();
    await page.waitForSelector('.error-summary');
  }],
  ['invite-sent', '/groups/social-work/invitations/new', async (page) => {
    await page.getByLabel('Email addresses').fill(`sweep.invited.${Date.now()}@example.org\nactive@demo.roundtable.test`);
    await page.getByLabel('A note from you (optional)').fill('Come and see.\nIt is good.');
    await page.getByRole('button', { name: 'Send invitations' }).click();
    await page.waitForSelector('h1:has-text("on its way")');
  }],
  ['my-invitations', '/invitations'],
];

// Invitation links made by the liaison through the API: {path} of the
// link to `email` in `group`.
async function inviteLink(email, group, note = '') {
  const json = { 'content-type': 'application/json' };
  const lena = await (await fetch(srv.base + '/api/v1/session', { method: 'POST', headers: json,
    body: JSON.stringify({ email: 'liaison@demo.roundtable.test', password: DEMO_PASSWORD }) })).json();
  const r = await fetch(srv.base + `/api/v1/groups/${group}/invitations`, { method: 'POST',
    headers: { ...json, authorization: `Bearer ${lena.token}` }, body: JSON.stringify({ emails: [email], note }) });
  assert.equal(r.status, 201);
  return linkFor(srv.dataDir, email, '/invitations/');
}

// The library (issue 6), as the liaison sees it: a link and an image shared
// through the API, the list, a tag, both resource pages, the share forms.
async function resourcePages() {
  const login = await fetch(srv.base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'liaison@demo.roundtable.test', password: DEMO_PASSWORD }) });
  const auth = { authorization: `Bearer ${(await login.json()).token}` };
  const group = srv.base + '/api/v1/groups/data-measurement/resources';
  const link = await (await fetch(group, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'link', title: 'Outcome measures for libraries', url: 'https://example.org/outcomes',
      description: 'A **guide** with [examples](https://example.org/x).', license: 'cc-by', tags: ['evaluation', 'data'] }) })).json();
  const form = new FormData();
  form.append('title', 'Visits by branch');
  form.append('tags', 'data');
  form.append('file', new Blob([samplePng(40, 30)], { type: 'image/png' }), 'visits.png');
  const image = await (await fetch(group, { method: 'POST', headers: auth, body: form })).json();
  // A thread whose posts attach both (issue 6: attachments).
  const threads = srv.base + '/api/v1/groups/data-measurement/threads';
  const attached = await (await fetch(threads, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Measures we use', body: 'Both are attached.',
      resource_ids: [link.resource.id, image.resource.id] }) })).json();
  const thread = attached.thread.id;
  return [
    ['library', '/groups/data-measurement/resources'],
    ['library-tag', '/groups/data-measurement/resources?tag=evaluation'],
    ['library-empty', '/groups/health/resources'],
    ['resource-link', `/resources/${link.resource.id}`],
    ['resource-image', `/resources/${image.resource.id}?notice=resource_shared`],
    ['resource-discussion-errors', `/resources/${link.resource.id}`, async (p) => {
      await p.getByRole('button', { name: 'Start the discussion' }).click();
      await p.waitForSelector('.error-summary');
    }],
    ['thread-attachments', `/threads/${thread}`],
    ['thread-attach-choices', `/threads/${thread}?attach=1`],
    ['thread-attach-errors', `/threads/${thread}?attach=1`, async (p) => {
      await p.check(`#attach-${image.resource.id}`);
      await p.getByRole('button', { name: 'Post reply' }).click();
      await p.waitForSelector('.error-summary');
    }],
    ['new-thread-attach', `/groups/data-measurement/threads/new?resource=${link.resource.id}`],
    ['resource-attached-in', `/resources/${image.resource.id}`],
    ['share-file', '/groups/data-measurement/resources/new?kind=file'],
    ['share-link', '/groups/data-measurement/resources/new?kind=link'],
    ['share-errors', '/groups/data-measurement/resources/new?kind=link', async (p) => {
      await p.fill('#field-url', 'javascript:alert(1)');
      await p.getByRole('button', { name: 'Share', exact: true }).click();
      await p.waitForSelector('.error-summary');
    }],
  ];
}

// Outcome check-ins (issue 7): the admin's statements page (the admin is
// signed in), then a member's notice, form, confirmation and own answers.
async function checkinPages(page) {
  const problems = await sweep(page, [
    ['outcome-statements', '/admin/outcomes'],
    ['outcome-statements-saved', '/admin/outcomes?notice=outcomes_saved'],
    ['outcome-statements-errors', '/admin/outcomes', async (p) => {
      await p.fill('#field-threshold', '2');
      await p.getByRole('button', { name: 'Save outcome statements' }).click();
      await p.waitForSelector('.error-summary');
    }],
  ], 'admin');
  await page.getByRole('button', { name: 'Sign out' }).click();
  // A month in Social Work makes the visitor's check-in due.
  await run('sqlite3', [join(srv.dataDir, 'roundtable.db'),
    'UPDATE group_members SET joined_at = joined_at - 31 * 86400 WHERE account_id = ' +
    "(SELECT id FROM accounts WHERE email = 'visitor@demo.roundtable.test')"]);
  await signIn(page, 'visitor@demo.roundtable.test');
  const form = '/groups/social-work/checkin?moment=immediate';
  problems.push(...(await sweep(page, [
    ['checkin-notice', '/groups/social-work', async (p) => { await p.waitForSelector('.banner--checkin'); }],
    ['checkin-form', form],
    ['checkin-errors', form, async (p) => {
      await p.getByRole('button', { name: 'Send my answers' }).click();
      await p.waitForSelector('.error-summary');
    }],
    ['checkin-thanks', form, async (p) => {
      for (const id of await p.locator('fieldset.scale-item').evaluateAll((fs) => fs.map((f) => f.id.slice(6)))) {
        await p.check(`#answer-${id}-4`);
      }
      await p.fill('#field-learned', 'Where to send a patron for help with rent.');
      await p.getByRole('button', { name: 'Send my answers' }).click();
      await p.waitForSelector('h1:has-text("Thank you")');
    }],
    ['my-checkins', '/me/checkins'],
    ['checkin-delete', '/me/checkins', async (p) => {
      await p.getByRole('link', { name: /Delete these answers/ }).click();
      await p.waitForSelector('h1:has-text("Delete your answers?")');
    }],
    ['my-checkins-empty', '/me/checkins', async (p) => {
      await p.getByRole('link', { name: /Delete these answers/ }).click();
      await p.getByRole('button', { name: 'Delete my answers' }).click();
      await p.waitForSelector('.empty');
    }],
  ], 'checkins')));
  return problems;
}

// The dashboard (issue 7), as the liaison sees it. The demo seeded here has
// no check-ins, so a page with every kind of outcome chart is made by
// putting the section that unit_tests renders from a hand-built report
// (both moments, an item under the threshold, open answers) in place of the
// page's own.
async function dashboardPages() {
  const sample = join(outDir, 'outcome-section.html');
  await run(join(ROOT, 'build', 'unit_tests'),
    ['--gtest_filter=OutcomeSectionTest.WritesASampleForTheAccessibilitySweep'],
    { env: { ...process.env, RT_OUTCOME_SAMPLE: sample } });
  const section = readFileSync(sample, 'utf8');
  return [
    ['dashboard', '/groups/social-work/dashboard'],
    ['dashboard-with-outcomes', '/groups/social-work/dashboard', async (p) => {
      await p.evaluate((html) => {
        document.querySelector('section[aria-labelledby="outcomes-heading"]').outerHTML = html;
      }, section);
      await p.waitForSelector('#chart-outcomes-title', { state: 'attached' });
    }],
    ['dashboard-quiet-period', '/groups/health/dashboard?from=2024-01-01&to=2024-02-29'],
    ['dashboard-errors', '/groups/social-work/dashboard?from=2026-02-30'],
  ];
}

const htmlFiles = [];

async function sweep(page, pages, prefix) {
  const problems = [];
  for (const [name, path, prepare] of pages) {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(srv.base + path);
    if (prepare) await prepare(page);
    const res = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    for (const v of res.violations) {
      problems.push(`${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
    const file = join(outDir, `${prefix}-${name}.html`);
    writeFileSync(file, await page.content());
    htmlFiles.push(file);
    // Narrow screens: nothing wider than 320 px.
    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    if (overflow > 320) problems.push(`${name}: page is ${overflow}px wide at 320px`);
  }
  return problems;
}

test('axe finds no WCAG 2.1 AA violations', async () => {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(15000);
  const problems = await sweep(page, visitorPages, 'visitor');
  const stranger = await inviteLink(`sweep.stranger.${Date.now()}@example.org`, 'data-measurement',
    'We would love to have you.');
  problems.push(...(await sweep(page, [['invitation-signed-out', stranger.path]], 'visitor')));
  await signIn(page, 'visitor@demo.roundtable.test');
  problems.push(...(await sweep(page, noGroupPages, 'member')));
  await page.goto(srv.base + '/groups/social-work');
  await page.getByRole('button', { name: 'Join Social Work' }).click();
  await page.waitForSelector('.banner');
  problems.push(...(await sweep(page, memberPages, 'member')));
  problems.push(...(await sweep(page, feedbackMemberPages, 'member')));
  const ids = await setupDiscussions();
  const filled = discussionPages.map(([name, path, prepare]) =>
    [name, path.replace(/\{(\w+)\}/g, (_, k) => String(ids[k])), prepare]);
  problems.push(...(await sweep(page, filled, 'discussions')));
  problems.push(...(await sweep(page, [...invitePages, ['invitation-wrong-address', stranger.path]],
    'invitations')));
  await run('sqlite3', [join(srv.dataDir, 'roundtable.db'),
    "UPDATE accounts SET mail_paused_at = 1772366400, mail_pause_reason = '550 5.1.1 No such user here' " +
    "WHERE email = 'visitor@demo.roundtable.test'"]);
  problems.push(...(await sweep(page, pausedPages, 'member')));
  const links = await setupAccountMail();
  problems.push(...(await sweep(page, [
    ['verify-link', links.verify],
    ['reset-link', links.reset],
    ['reset-link-errors', links.reset, async (p) => {
      await p.getByRole('button', { name: 'Set the new password' }).click();
      await p.waitForSelector('.error-summary');
    }],
    ['email-change-link', links.change],
  ], 'mail')));
  // A directory long enough to page (50 a page): 50 more groups.
  await run('sqlite3', [join(srv.dataDir, 'roundtable.db'),
    "INSERT INTO interest_groups (association_id, slug, name, summary, join_policy, visibility, position) " +
    "SELECT g.association_id, 'extra-' || c.n, 'Extra group ' || c.n, g.summary, g.join_policy, g.visibility, 1000 + c.n " +
    "FROM interest_groups g, (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 50) SELECT n FROM c) c " +
    "WHERE g.slug = 'health'"]);
  // The unverified account's notice and refusal.
  await page.goto(srv.base + '/signin');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto(srv.base + '/signin');
  await page.fill('#field-email', links.email);
  await page.fill('#field-password', PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('.banner--warning');
  problems.push(...(await sweep(page, [
    ['unverified-group', '/groups/data-measurement'],
    ['unverified-sent', '/groups?notice=verification_sent'],
  ], 'mail')));
  // The invited account's view of its links: one waits for a membership,
  // one can be accepted.
  const waiting = await inviteLink(links.email, 'data-measurement');
  const open = await inviteLink(links.email, 'social-work');
  problems.push(...(await sweep(page, [
    ['invitation-not-yet', waiting.path],
    ['invitation-accept', open.path],
  ], 'invitations')));
  problems.push(...(await sweep(page, [
    ['groups-paged-first', '/', async (p) => { await p.waitForSelector('nav.pager [aria-current="page"]'); }],
    ['groups-paged-second', '/groups?page=2', async (p) => { await p.waitForSelector('a[rel="prev"]'); }],
  ], 'member')));
  // A group's settings, as its staff liaison sees them.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'liaison@demo.roundtable.test');
  problems.push(...(await sweep(page, [
    ['group-settings', '/groups/data-measurement/settings'],
    ['group-settings-saved', '/groups/data-measurement/settings?notice=group_settings_saved'],
    ['group-settings-errors', '/groups/data-measurement/settings', async (p) => {
      await p.locator('#default-delivery-weekly').evaluate((el) => { el.value = 'hourly'; el.checked = true; });
      await p.getByRole('button', { name: 'Save settings' }).click();
      await p.waitForSelector('.error-summary');
    }],
  ], 'staff')));
  const feedbackId = await setupFeedback();
  problems.push(...(await sweep(page, [
    ['feedback-inbox', '/groups/social-work/feedback'],
    ['feedback-item', `/feedback/${feedbackId}`],
    ['feedback-item-errors', `/feedback/${feedbackId}`, async (p) => {
      await p.getByRole('button', { name: 'Send reply' }).click();
      await p.waitForSelector('.error-summary');
    }],
    ['feedback-summary', '/groups/social-work/feedback/summary'],
    ['feedback-summary-errors', '/groups/social-work/feedback/summary', async (p) => {
      await p.getByRole('button', { name: 'Publish summary' }).click();
      await p.waitForSelector('.error-summary');
    }],
  ], 'staff')));
  problems.push(...(await sweep(page, await resourcePages(), 'resources')));
  problems.push(...(await sweep(page, await dashboardPages(), 'dashboard')));
  // The association's settings, as an admin sees them.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'admin@demo.roundtable.test');
  problems.push(...(await sweep(page, [
    ['admin-account', '/account'],
    ['digest-schedule', '/admin/digests'],
    ['digest-schedule-saved', '/admin/digests?notice=digest_schedule_saved'],
    ['digest-schedule-errors', '/admin/digests', async (p) => {
      await p.fill('#field-time-zone', 'Nowhere/City');
      await p.getByRole('button', { name: 'Save schedule' }).click();
      await p.waitForSelector('.error-summary');
    }],
    ['groups-compared', '/admin/groups/dashboard'],
    ['groups-compared-sorted', '/admin/groups/dashboard?sort=first_reply'],
    ['groups-compared-errors', '/admin/groups/dashboard?from=2026-13-01'],
  ], 'admin')));
  problems.push(...(await checkinPages(page)));
  // An invitation on its invitee's own list, opened by id (issue 6).
  await inviteLink('grace@demo.roundtable.test', 'health');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'grace@demo.roundtable.test');
  const json = { 'content-type': 'application/json' };
  const grace = await (await fetch(srv.base + '/api/v1/session', { method: 'POST', headers: json,
    body: JSON.stringify({ email: 'grace@demo.roundtable.test', password: DEMO_PASSWORD }) })).json();
  const toMe = (await (await fetch(srv.base + '/api/v1/invitations',
    { headers: { authorization: `Bearer ${grace.token}` } })).json()).to_me;
  problems.push(...(await sweep(page, [
    ['invitations-to-you', '/invitations'],
    ['invitation-by-id', toMe[0].page_url],
  ], 'invitations')));
  await page.close();
  assert.deepEqual(problems, []);
});

test('vnu finds no HTML errors', async () => {
  assert.ok(htmlFiles.length >= 25, 'the axe sweep saved the pages');
  // Raw server HTML too, not only the browser's DOM.
  for (const path of ['/', '/groups/health', '/groups/social-work', '/signin', '/register']) {
    const f = join(outDir, `raw${path.replace(/\W/g, '_')}.html`);
    writeFileSync(f, await (await fetch(srv.base + path)).text());
    htmlFiles.push(f);
  }
  const jar = join(ROOT, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
  try {
    await run('java', ['-jar', jar, '--errors-only', ...htmlFiles], { maxBuffer: 1 << 24 });
  } catch (e) {
    assert.fail(`vnu reported errors:\n${e.stderr || e.stdout || e.message}`);
  }
});
