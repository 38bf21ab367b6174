// Feedback to the staff liaison in real Chromium: a member sends feedback
// from the group page, the liaison acknowledges it, answers and resolves
// it, and the member reads the answer on the site and gets an email
// (through the real SMTP capture server). Another member cannot open it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signInAsDemo } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { startCapture } from '../support/mail_capture.mjs';

let srv, smtp, browser;
before(async () => {
  smtp = await startCapture();
  srv = await startServer({ args: ['--smtp-url', smtp.url, '--mail-domain', 'groups.example.test'] });
  browser = await launch();
});
after(async () => { await srv?.stop(); await smtp?.stop(); await browser?.close(); });

const signIn = (page, email) => signInAsDemo(browser, page, srv.base, email);

test('a member sends feedback; the liaison acknowledges, answers and resolves it', async () => {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(15000);

  // Ana joins Data and Measurement and sends feedback from its page.
  await signIn(page, 'active@demo.roundtable.test');
  await page.goto(srv.base + '/groups/data-measurement');
  await page.getByRole('button', { name: /^Join/ }).click();
  await page.waitForSelector('.banner');
  await page.getByRole('link', { name: 'Send feedback to the staff liaison' }).click();
  await page.waitForSelector('h1:has-text("Send feedback to the staff liaison")');
  // Sending nothing shows what is missing, and keeps the page.
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await page.waitForSelector('.error-summary');
  assert.match(await page.locator('.error-summary').textContent(), /Choose what your feedback is about/);
  await page.getByRole('radio', { name: 'Programme proposal' }).check();
  await page.fill('#field-body', 'A hands-on session on **outcome surveys** would help many of us.');
  await page.getByRole('checkbox', { name: /You may name me/ }).check();
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await page.waitForSelector('h1:has-text("Programme proposal")');
  assert.match(await page.locator('.banner').textContent(), /Your feedback is sent/);
  const itemUrl = page.url().replace(/\?.*$/, '');
  assert.match(itemUrl, /\/feedback\/\d+$/);
  assert.match(await page.locator('.facts').textContent(), /New/);

  // Grant, another member, gets "not found".
  await signIn(page, 'grace@demo.roundtable.test');
  const other = await page.goto(itemUrl);
  assert.equal(other.status(), 404);
  assert.doesNotMatch(await page.locator('main').textContent(), /outcome surveys/);

  // Lena finds it in her inbox, acknowledges, answers, resolves.
  await signIn(page, 'liaison@demo.roundtable.test');
  await page.goto(srv.base + '/groups/data-measurement');
  await page.getByRole('link', { name: 'Feedback inbox' }).click();
  await page.waitForSelector('h1:has-text("Feedback inbox")');
  await page.getByRole('link', { name: /Programme proposal: A hands-on session/ }).click();
  await page.waitForSelector('h1:has-text("Programme proposal")');
  await page.getByLabel('Status').selectOption('acknowledged');
  await page.getByRole('button', { name: 'Update status' }).click();
  await page.waitForSelector('.banner:has-text("The feedback is updated")');
  assert.match(await page.locator('.facts').textContent(), /Acknowledged/);
  await page.fill('#field-body', 'Thank you. We are planning one for **May**.');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await page.waitForSelector('.banner:has-text("Your reply is sent")');
  await page.getByLabel('Status').selectOption('resolved');
  await page.getByRole('button', { name: 'Update status' }).click();
  await page.waitForSelector('.banner:has-text("The feedback is updated")');
  assert.match(await page.locator('.facts').textContent(), /Resolved/);

  // Ana is told by email, and reads the answer on the site.
  const mail = await smtp.waitFor((m) => m.rcptTo.includes('active@demo.roundtable.test') &&
    /answered your feedback/.test(m.headers.subject || ''), 'the feedback answer mail');
  assert.match(mail.headers.subject, /\[Data and Measurement\] Lena Liaison answered your feedback/);
  const path = new URL(itemUrl).pathname;
  assert.ok(mail.parts[0].text.includes(path), mail.parts[0].text);
  await signIn(page, 'active@demo.roundtable.test');
  await page.goto(srv.base + '/notifications');
  await page.getByRole('link', { name: /Lena Liaison answered your feedback/ }).click();
  await page.waitForSelector('h1:has-text("Programme proposal")');
  const main = await page.locator('main').textContent();
  assert.match(main, /Resolved/);
  assert.match(main, /We are planning one for May\./);
  await page.close();
});
