// Account mail in real Chromium, read back from a real SMTP server
// (tests/support/mail_capture.mjs) that `roundtable serve --smtp-url`
// delivers to: confirming the address after registering, forgetting a
// password and choosing a new one, moving an account to a new address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../support/browser.mjs';
import { startServer, DEMO_PASSWORD } from '../support/server.mjs';
import { startCapture } from '../support/mail_capture.mjs';

const DOMAIN = 'groups.example.test';
let srv, smtp, browser;
before(async () => {
  smtp = await startCapture();
  srv = await startServer({ args: ['--smtp-url', smtp.url, '--mail-domain', DOMAIN] });
  browser = await launch();
});
after(async () => { await srv?.stop(); await smtp?.stop(); await browser?.close(); });

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

const api = async (token, method, path, body) => {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  if (body) headers['content-type'] = 'application/json';
  const r = await fetch(srv.base + '/api/v1' + path,
    { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : {} };
};
// The account as GET /api/v1/me shows it, signed in with a new session.
const me = async (email, password) => {
  const { body } = await api(null, 'POST', '/session', { email, password });
  return (await api(body.token, 'GET', '/me')).body.account;
};

const sentTo = (to) => smtp.messages().filter((m) => m.rcptTo.includes(to.toLowerCase()));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Waits for the mail to `to` with `subject`, checks what every account mail
// carries, and returns the link to `path` ("/verify/", ...) in it; with no
// path (a notice) it checks that the mail links to nothing but the site.
async function accountMail(to, subject, path) {
  const mail = await smtp.waitFor((m) => m.rcptTo.includes(to.toLowerCase()) &&
    m.headers.subject === subject, `"${subject}" to ${to}`);
  assert.deepEqual(mail.rcptTo, [to.toLowerCase()]);
  assert.match(mail.mailFrom, new RegExp(`^bounces\\+[A-Za-z0-9_-]+@${escape(DOMAIN)}$`));
  assert.equal(mail.headers.from, `PLA Interest Groups <noreply@${DOMAIN}>`);
  assert.match(mail.headers.to, new RegExp(`<${escape(to.toLowerCase())}>$`));
  assert.match(mail.headers['message-id'], new RegExp(`^<[^<>@\\s]+@${escape(DOMAIN)}>$`));
  assert.equal(mail.headers['auto-submitted'], 'auto-generated');
  // Transactional: nothing to unsubscribe from, and no list.
  assert.equal(mail.headers['list-unsubscribe'], undefined);
  assert.equal(mail.headers['list-id'], undefined);
  // multipart/alternative: text, then HTML, saying the same.
  assert.match(mail.headers['content-type'], /^multipart\/alternative;/);
  assert.deepEqual(mail.parts.map((p) => p.type), ['text/plain', 'text/html']);
  const text = mail.parts[0].text;
  const html = mail.parts[1].text;
  const links = [...text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
  const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
  assert.deepEqual(hrefs, links, html);  // the same links, in the same order
  if (!path) {
    assert.deepEqual(links, [srv.base], text);  // only the site, in the signature
    return null;
  }
  const link = links.find((l) => l.startsWith(srv.base + path));
  assert.ok(link, text);
  return link;
}

// A link works once: opened again, its page says so.
async function assertUsed(page, link) {
  await page.goto(link);
  assert.match(await page.locator('main').textContent(), /used already/);
}

test('registering mails a link; opening it changes nothing, its button confirms the address', async () => {
  const page = await freshPage();
  const email = `reggie.${Date.now()}@example.org`;
  const password = 'a long enough passphrase';
  await page.goto(srv.base + '/register');
  await page.fill('#field-name', 'Reggie Register');
  await page.fill('#field-email', email);
  await page.fill('#field-password', password);
  await page.getByRole('button', { name: 'Create account' }).click();
  assert.match(await page.locator('.banner--warning').textContent(), /Confirm your email address/);

  const link = await accountMail(email, 'Confirm your email address', '/verify/');
  await page.goto(link);
  assert.equal(await page.locator('h1').textContent(), 'Confirm your email address');
  assert.match(await page.locator('main').textContent(), new RegExp(`Confirm that ${escape(email)} is your address`));
  assert.equal((await me(email, password)).email_verified, false, 'a GET changes nothing');

  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  await page.waitForURL(/notice=email_verified/);
  assert.equal((await me(email, password)).email_verified, true);
  await assertUsed(page, link);
  await page.close();
});

test('forgot password: the same answer for any address, a link only to an account', async () => {
  const page = await freshPage();
  const email = 'grace@demo.roundtable.test';
  const unknown = `nobody.${Date.now()}@example.org`;
  const ask = async (address) => {
    await page.goto(srv.base + '/signin');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    assert.equal(await page.locator('h1').textContent(), 'Forgot your password?');
    await page.fill('#field-email', address);
    await page.getByRole('button', { name: 'Send the link' }).click();
    assert.equal(await page.locator('h1').textContent(), 'Check your email');
    return (await page.locator('main').textContent()).replace(address, 'ADDRESS');
  };
  const unknownAnswer = await ask(unknown);
  const answer = await ask(email);
  assert.match(answer, /If an account uses ADDRESS, we sent it a link/);
  assert.equal(unknownAnswer, answer);

  // The mail to the account comes; by then the other request, made first,
  // has had every chance to send something, and did not.
  const link = await accountMail(email, 'Reset your password', '/reset/');
  assert.deepEqual(sentTo(unknown), []);

  await page.goto(link);
  assert.equal(await page.locator('h1').textContent(), 'Choose a new password');
  // A weak password is refused beside the field; the link still works.
  await page.fill('#field-password', 'short');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  assert.match(await page.locator('.error-summary').textContent(), /at least 12 characters/);
  await page.fill('#field-password', 'grace chooses a new passphrase');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  assert.match(await page.locator('.banner').textContent(), /new password is set/);
  // The notice points to the way back, with no token in it.
  assert.equal(await accountMail(email, 'Your password was changed', '/forgot-password'),
    srv.base + '/forgot-password');

  await signIn(page, email, DEMO_PASSWORD);
  assert.match(await page.locator('.error-summary').textContent(), /not right/);
  await signIn(page, email, 'grace chooses a new passphrase');
  assert.match(await page.locator('.banner').textContent(), /You are signed in/);

  await assertUsed(page, link);
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

  const link = await accountMail(next, 'Confirm your new email address', '/email-change/');
  await page.goto(link);
  assert.match(await page.locator('main').textContent(), new RegExp(`Use ${escape(next)} for your account`));
  assert.equal((await me(old, DEMO_PASSWORD)).email, old, 'a GET changes nothing');
  await page.getByRole('button', { name: 'Use this address' }).click();
  assert.match(await page.locator('.banner').textContent(), /email address is changed/);
  assert.equal((await me(next, DEMO_PASSWORD)).email, next);

  // The old address may not be the owner's any more: it is told, and
  // offered a password reset in case someone else made the change.
  assert.equal(await accountMail(old, 'Your email address was changed', '/forgot-password'),
    srv.base + '/forgot-password');
  assert.deepEqual(sentTo(old).map((m) => m.headers.subject), ['Your email address was changed']);
  await page.close();
});
