// Account mail in real Chromium: forgetting a password and choosing a new
// one through the mailed link, and moving an account to a new address.
// Mail is read from the server's outbox (tests/support/queued_mail.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../support/browser.mjs';
import { startServer, DEMO_PASSWORD } from '../support/server.mjs';
import { linkFor, queuedMail } from '../support/queued_mail.mjs';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await srv?.stop(); await browser?.close(); });

async function freshPage() {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  page.setDefaultTimeout(10000);
  return page;
}

async function signIn(page, email, password) {
  await page.goto(srv.base + '/signin');
  await page.fill('#field-email', email);
  await page.fill('#field-password', password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('forgot password: ask for a link, open it, set a new password, sign in with it', async () => {
  const page = await freshPage();
  const email = 'grace@demo.roundtable.test';
  await page.goto(srv.base + '/signin');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Forgot your password?');
  await page.fill('#field-email', email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Check your email');
  assert.match(await page.locator('main').textContent(), /If an account uses grace@demo\.roundtable\.test, we sent it a link/);

  const link = await linkFor(srv.dataDir, email, '/reset/');
  await page.goto(link.url);
  assert.equal(await page.locator('h1').textContent(), 'Choose a new password');
  // A weak password is refused beside the field; the link still works.
  await page.fill('#field-password', 'short');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  assert.match(await page.locator('.error-summary').textContent(), /at least 12 characters/);
  await page.fill('#field-password', 'grace chooses a new passphrase');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  assert.match(await page.locator('.banner').textContent(), /new password is set/);

  await signIn(page, email, DEMO_PASSWORD);
  assert.match(await page.locator('.error-summary').textContent(), /not right/);
  await signIn(page, email, 'grace chooses a new passphrase');
  assert.match(await page.locator('.banner').textContent(), /You are signed in/);
  assert.ok((await queuedMail(srv.dataDir, email)).some((m) => m.subject === 'Your password was changed'));

  // The link worked once.
  await page.goto(link.url);
  assert.match(await page.locator('main').textContent(), /used already/);
  await page.close();
});

test('change of address: the new address confirms it, the old one is told', async () => {
  const page = await freshPage();
  const old = 'visitor@demo.roundtable.test';
  const next = `nora.${Date.now()}@example.org`;
  await signIn(page, old, DEMO_PASSWORD);
  await page.goto(srv.base + '/account');
  await page.getByRole('link', { name: 'Change your email address' }).click();
  await page.fill('#field-email', next);
  await page.fill('#field-current_password', DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Send the link' }).click();
  assert.match(await page.locator('.banner').textContent(), /We sent a link to your new address/);

  const link = await linkFor(srv.dataDir, next, '/email-change/');
  await page.goto(link.url);
  assert.match(await page.locator('main').textContent(), new RegExp(`Use ${next.replace(/\./g, '\\.')} for your account`));
  await page.getByRole('button', { name: 'Use this address' }).click();
  assert.match(await page.locator('.banner').textContent(), /email address is changed/);
  assert.ok((await queuedMail(srv.dataDir, old)).some((m) => m.subject === 'Your email address was changed'));
  await page.close();
});
