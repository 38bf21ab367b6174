// Discussion journeys in real Chromium: a question answered, accepted and
// followed up privately; a story with consent; what a signed-out visitor
// can and cannot read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../support/browser.mjs';
import { startServer, DEMO_PASSWORD } from '../support/server.mjs';
import { eventually } from '../support/eventually.mjs';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await srv?.stop(); await browser?.close(); });

async function freshPage() {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  page.setDefaultTimeout(10000);
  return page;
}

async function signIn(page, email) {
  await browser.context.clearCookies();
  await page.goto(srv.base + '/signin');
  await page.fill('#field-email', email);
  await page.fill('#field-password', DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('.banner');
}

async function joinGroup(page, slug, name) {
  await page.goto(`${srv.base}/groups/${slug}`);
  const join = page.getByRole('button', { name: `Join ${name}` });
  if (await join.count()) {
    await join.click();
    await page.waitForSelector('.banner');
  }
}

test('ask, answer, accept and follow up privately', async () => {
  const page = await freshPage();
  await signIn(page, 'active@demo.roundtable.test');
  await joinGroup(page, 'data-measurement', 'Data and Measurement');
  await page.getByRole('link', { name: 'Ask a question' }).click();
  await page.fill('#field-title', 'How do you count outreach visits?');
  await page.fill('#field-body', 'We visit **senior centres** and need a simple tally.');
  // With JavaScript the preview follows the typing.
  await page.locator('#field-body').pressSequentially(' _live_');
  await page.waitForSelector('section[aria-label="Live preview"] em');
  assert.equal(await page.locator('section[aria-label="Live preview"] em').textContent(), 'live');
  await page.fill('#field-body', 'We visit **senior centres** and need a simple tally.');
  // The Preview button works without JavaScript: nothing is posted yet.
  await page.getByRole('button', { name: 'Preview' }).click();
  assert.match(await page.locator('section[aria-labelledby="preview-heading"]').innerHTML(), /<strong>senior centres<\/strong>/);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  assert.match(await page.locator('.banner').textContent(), /thread is posted/);
  const threadUrl = page.url().split('?')[0];
  assert.match(await page.locator('.badge', { hasText: 'Unanswered' }).first().textContent(), /Unanswered/);
  // Exact times are shown in the reader's time zone, not UTC.
  assert.doesNotMatch(await page.locator('main time').first().getAttribute('title'), /UTC/);

  // A colleague answers.
  await signIn(page, 'grace@demo.roundtable.test');
  await joinGroup(page, 'data-measurement', 'Data and Measurement');
  await page.goto(threadUrl);
  await page.fill('#field-body', 'A shared spreadsheet with one row per visit works for us.');
  await page.getByRole('button', { name: 'Post reply' }).click();
  assert.match(await page.locator('.banner').textContent(), /reply is posted/);
  assert.equal(await page.getByRole('button', { name: /Accept as the answer/ }).count(), 0);

  // The asker sees a notification (written by the outbox worker moments
  // after the reply), accepts, and is offered a follow-up.
  await signIn(page, 'active@demo.roundtable.test');
  await eventually(async () => {
    if (/Notifications\s*1/.test(await page.locator('nav').textContent())) return true;
    await page.reload();
    return false;
  }, { what: 'the notification badge' });
  await page.goto(threadUrl);
  await page.getByRole('button', { name: /Accept as the answer/ }).click();
  assert.match(await page.locator('.banner').first().textContent(), /accepted/);
  assert.match(await page.locator('#answer-heading').textContent(), /Accepted answer/);
  await page.getByRole('link', { name: 'Write privately to Grant Grace' }).click();
  await page.fill('#field-body', 'Thank you! Could you share the template?');
  await page.getByRole('button', { name: 'Send private message' }).click();
  assert.match(await page.locator('main').textContent(), /Could you share the template/);

  // Grant reads it; nobody else can.
  const conversationUrl = page.url().split('?')[0].split('#')[0];
  await signIn(page, 'grace@demo.roundtable.test');
  await page.goto(srv.base + '/conversations');
  assert.match(await page.locator('main').textContent(), /Ana Active/);
  await signIn(page, 'visitor@demo.roundtable.test');
  const hidden = await page.goto(conversationUrl);
  assert.equal(hidden.status(), 404);
  await page.close();
});

test('a story with consent to quote in advocacy', async () => {
  const page = await freshPage();
  await signIn(page, 'visitor@demo.roundtable.test');
  await joinGroup(page, 'social-work', 'Social Work');
  await page.getByRole('link', { name: 'Share a story' }).click();
  await page.fill('#field-title', 'Our first social worker in the library');
  await page.fill('#field-body', 'Patrons found housing help within a week.');
  await page.getByLabel('Association staff may quote it in advocacy').check();
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  assert.match(await page.locator('main').textContent(), /Reuse: Association staff may quote it in advocacy/);
  // Staff can filter stories by consent.
  await signIn(page, 'liaison@demo.roundtable.test');
  await page.goto(srv.base + '/groups/social-work?kind=story&consent=staff_advocacy');
  assert.match(await page.locator('.thread-list').textContent(), /Our first social worker/);
  await page.goto(srv.base + '/groups/social-work?kind=story&consent=public');
  assert.doesNotMatch(await page.locator('main').textContent(), /Our first social worker/);
  await page.close();
});

test('signed out: public groups can be read, members-only threads do not exist', async () => {
  const page = await freshPage();
  await signIn(page, 'active@demo.roundtable.test');
  await page.goto(srv.base + '/groups/data-measurement');
  await page.getByRole('link', { name: 'Start a discussion' }).click();
  await page.fill('#field-title', 'Members only: survey tools');
  await page.fill('#field-body', 'Which survey tool do you use?');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  const hiddenUrl = page.url().split('?')[0];

  await browser.context.clearCookies();
  await page.goto(srv.base + '/groups/social-work');
  assert.match(await page.locator('.thread-list').textContent(), /Our first social worker/);
  await page.getByRole('link', { name: 'Our first social worker in the library' }).click();
  assert.match(await page.locator('main').textContent(), /housing help/);
  assert.equal(await page.getByRole('link', { name: 'Sign in to reply' }).count(), 1);

  const res = await page.goto(hiddenUrl);
  assert.equal(res.status(), 404);
  await page.goto(srv.base + '/groups/data-measurement');
  assert.match(await page.locator('main').textContent(), /discussions in this group are for its members/);
  assert.doesNotMatch(await page.locator('main').textContent(), /survey tools/);
  await page.close();
});
