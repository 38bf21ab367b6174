// The first member journey in real Chromium: register, see the groups, read
// why a members-only group is closed, join Social Work, get a membership
// imported, confirm the address with the mailed link, then join Data and
// Measurement.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from '../support/browser.mjs';
import { startServer, cli } from '../support/server.mjs';
import { linkFor, verifiedAt } from '../support/queued_mail.mjs';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
// Each journey starts signed out, in a new tab with short timeouts.
async function freshPage() {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  page.setDefaultTimeout(10000);
  return page;
}
after(async () => { await srv?.stop(); await browser?.close(); });

async function signIn(page, email) {
  await page.goto(srv.base + '/signin');
  await page.fill('#field-email', email);
  await page.fill('#field-password', 'roundtable-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('register, join an open group, get a membership, join a members-only group', async () => {
  const page = await freshPage();
  const email = `journey.${Date.now()}@example.org`;

  await page.goto(srv.base + '/');
  assert.equal(await page.locator('h1').textContent(), 'PLA Interest Groups');
  assert.equal(await page.locator('.group-list > li').count(), 9);
  await page.getByRole('link', { name: 'Create an account' }).first().click();

  // A mistake first: the error summary links to the field.
  await page.fill('#field-name', 'Jordan Journey');
  await page.fill('#field-email', email);
  await page.fill('#field-password', 'short');
  await page.getByRole('button', { name: 'Create account' }).click();
  assert.match(await page.locator('.error-summary').textContent(), /at least 12 characters/);
  assert.equal(await page.locator('#field-password').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.inputValue('#field-email'), email);  // nothing typed is lost
  await page.fill('#field-password', 'a long enough passphrase');
  await page.getByRole('button', { name: 'Create account' }).click();
  assert.match(await page.locator('.banner--success').textContent(), /account is ready/);
  assert.match(await page.locator('.banner--warning').textContent(), /Confirm your email address/);

  // A members-only group says why not and what to do.
  await page.goto(srv.base + '/groups/data-measurement');
  assert.equal(await page.getByRole('button', { name: /^Join/ }).count(), 0);
  assert.match(await page.locator('.refusal').textContent(), /Confirm your email address first/);

  // Social Work is open to any account.
  await page.goto(srv.base + '/groups/social-work');
  await page.getByRole('button', { name: 'Join Social Work' }).click();
  assert.match(await page.locator('.banner--success').textContent(), /You have joined this group/);
  assert.match(await page.locator('.status-text').textContent(), /You are a member/);
  await page.getByRole('link', { name: 'See who is in this group' }).click();
  assert.match(await page.locator('.member-list').textContent(), /Jordan Journey/);

  // The association's membership file arrives.
  const csv = join(srv.dataDir, 'journey.csv');
  writeFileSync(csv, `email,member_type,paid_through\n${email},Personal,2099-12-31\n`);
  const out = await cli(srv.dataDir, ['members', 'import', csv, '--association', 'pla']);
  assert.match(out.stdout, /1 added/);
  await page.goto(srv.base + '/groups/data-measurement');
  assert.match(await page.locator('.refusal').textContent(), /Confirm your email address first/);

  // The link in the verification mail: opening it changes nothing, the
  // button confirms the address and the membership attaches.
  const link = await linkFor(srv.dataDir, email, '/verify/');
  await page.goto(link.url);
  assert.equal(await page.locator('h1').textContent(), 'Confirm your email address');
  assert.equal(await verifiedAt(srv.dataDir, email), null);
  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  assert.match(await page.locator('.banner--success').textContent(), /email address is confirmed/);
  assert.equal(await page.locator('.banner--warning').count(), 0);
  assert.ok(await verifiedAt(srv.dataDir, email));

  await page.goto(srv.base + '/groups/data-measurement');
  await page.getByRole('button', { name: 'Join Data and Measurement' }).click();
  assert.match(await page.locator('.banner').textContent(), /You have joined this group/);

  // The groups page now offers Leave on both groups.
  await page.goto(srv.base + '/');
  assert.equal(await page.locator('#group-data-measurement .status-text').count(), 1);
  assert.equal(await page.locator('#group-social-work .status-text').count(), 1);
  await page.close();
});

test('an expired member reads the date their membership ended', async () => {
  const page = await freshPage();
  await signIn(page, 'expired@demo.roundtable.test');
  await page.goto(srv.base + '/groups/health');
  assert.match(await page.locator('.refusal').textContent(),
    /Your PLA membership ended on \d{1,2} [A-Z][a-z]+ \d{4}\. Renew it to rejoin/);
  assert.equal(await page.getByRole('link', { name: /Renew your PLA membership/ }).count(), 1);
  await page.getByRole('button', { name: 'Sign out' }).click();
  assert.match(await page.locator('.banner').textContent(), /signed out/);
  await page.close();
});

test('an account without a membership reads how to join the association', async () => {
  const page = await freshPage();
  await signIn(page, 'visitor@demo.roundtable.test');
  await page.goto(srv.base + '/groups/data-measurement');
  assert.match(await page.locator('.refusal').textContent(), /for PLA members\. Join PLA to take part/);
  assert.equal(await page.getByRole('link', { name: /Join PLA/ }).count(), 1);
  await page.close();
});

test('wrong password shows an error that does not say whether the email exists', async () => {
  const page = await freshPage();
  const texts = [];
  for (const email of ['active@demo.roundtable.test', 'no-one@example.org']) {
    await page.goto(srv.base + '/signin');
    await page.fill('#field-email', email);
    await page.fill('#field-password', 'not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    texts.push(await page.locator('.error-summary').textContent());
  }
  assert.equal(texts[0], texts[1]);
  await page.close();
});

test('the keyboard reaches the skip link first and it moves to the content', async () => {
  const page = await freshPage();
  await page.goto(srv.base + '/');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to main content');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  await page.close();
});
