// A member unsubscribes from a group's mail in real Chromium: from the link
// in a real-time mail to the confirmation, signed out, and only the POST acts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../support/browser.mjs';
import { startServer, apiCall, sessionToken, DEMO_PASSWORD } from '../support/server.mjs';
import { startCapture, unsubscribePath } from '../support/mail_capture.mjs';

let srv, smtp, browser;
before(async () => {
  smtp = await startCapture();
  srv = await startServer({ args: ['--smtp-url', smtp.url, '--mail-domain', 'groups.example.test'] });
  browser = await launch();
});
after(async () => { await srv?.stop(); await smtp?.stop(); await browser?.close(); });

const call = (token, method, path, body) => apiCall(srv.base, token, method, path, body);
const session = (email) => sessionToken(srv.base, email);

test('the unsubscribe link asks first, then stops the group mail', async () => {
  const nora = await session('visitor@demo.roundtable.test');
  const ana = await session('active@demo.roundtable.test');
  for (const t of [nora, ana]) await call(t, 'POST', '/api/v1/groups/social-work/membership');
  await call(nora, 'PATCH', '/api/v1/groups/social-work/membership', { delivery: 'realtime' });
  const t = await call(ana, 'POST', '/api/v1/groups/social-work/threads',
    { kind: 'discussion', title: 'Outreach at the food bank', body: 'Who has tried it?' });
  const mail = await smtp.waitFor((m) => m.rcptTo.includes('visitor@demo.roundtable.test') &&
    m.headers['message-id'] === `<post-${t.post.id}@groups.example.test>`, 'the thread mail');
  const path = unsubscribePath(mail);
  assert.ok(path, mail.headers['list-unsubscribe']);

  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  page.setDefaultTimeout(10000);
  // The link from the mail's HTML part is the same one.
  assert.ok(mail.parts[1].text.includes(path));
  await page.goto(srv.base + path);
  assert.equal(await page.locator('h1').textContent(), 'Stop emails from Social Work?');
  assert.match(await page.title(), /Stop emails from Social Work/);
  // Opening the page changed nothing.
  let settings = await call(nora, 'GET', '/api/v1/me/notification-settings');
  assert.equal(settings.groups.find((g) => g.slug === 'social-work').delivery, 'realtime');

  await page.getByRole('button', { name: 'Stop these emails' }).click();
  await page.waitForSelector('h1:has-text("no more emails")');
  assert.equal(await page.locator('h1').textContent(), 'You will get no more emails from Social Work');
  assert.match(await page.locator('main').textContent(), /now “No email”/);
  settings = await call(nora, 'GET', '/api/v1/me/notification-settings');
  assert.equal(settings.groups.find((g) => g.slug === 'social-work').delivery, 'none');

  // The way back: the settings link asks to sign in, then shows "No email".
  await page.getByRole('link', { name: 'Choose how you hear from your groups' }).click();
  await page.fill('#field-email', 'visitor@demo.roundtable.test');
  await page.fill('#field-password', DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/settings\/notifications/);
  const group = page.getByRole('group', { name: 'Social Work' });
  assert.equal(await group.getByRole('radio', { name: 'No email' }).isChecked(), true);
  await page.close();
});

test('a reply notification\'s link stops reply emails, and the page can undo it', async () => {
  const nora = await session('visitor@demo.roundtable.test');
  const ana = await session('active@demo.roundtable.test');
  for (const t of [nora, ana]) await call(t, 'POST', '/api/v1/groups/social-work/membership');
  await call(nora, 'PATCH', '/api/v1/groups/social-work/membership', { delivery: 'none' });
  const t = await call(nora, 'POST', '/api/v1/groups/social-work/threads',
    { kind: 'question', title: 'Who lends out hotspots?', body: 'Thinking of starting.' });
  const reply = await call(ana, 'POST', `/api/v1/threads/${t.thread.id}/posts`, { body: 'We do, since 2022.' });
  const mail = await smtp.waitFor((m) => m.rcptTo.includes('visitor@demo.roundtable.test') &&
    m.headers['message-id'] === `<post-${reply.post.id}@groups.example.test>`, 'the reply notification');
  const path = unsubscribePath(mail);
  assert.ok(path, mail.headers['list-unsubscribe']);
  assert.equal(mail.headers['list-id'], undefined);

  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  page.setDefaultTimeout(10000);
  // The footer's link is the header's.
  const html = mail.parts[1].text;
  assert.match(html, new RegExp(`<a href="[^"]*${path}">Stop emails about replies to you and in threads you follow</a>`));
  await page.goto(srv.base + path);
  const topic = 'replies to you and in threads you follow';
  assert.equal(await page.locator('h1').textContent(), `Stop emails about ${topic}?`);
  assert.match(await page.title(), /Stop emails about replies/);
  let settings = await call(nora, 'GET', '/api/v1/me/notification-settings');
  assert.equal(settings.email.reply, true, 'opening the page changes nothing');

  await page.getByRole('button', { name: 'Stop these emails' }).click();
  await page.waitForSelector('h1:has-text("no more emails")');
  assert.equal(await page.locator('h1').textContent(), `You will get no more emails about ${topic}`);
  settings = await call(nora, 'GET', '/api/v1/me/notification-settings');
  assert.deepEqual(settings.email, { reply: false, answer_accepted: true, private_message: true, mention: true, feedback: true, checkin: true });
  const manage = page.getByRole('link', { name: 'Manage all your email settings' });
  assert.equal(await manage.getAttribute('href'), '/settings/notifications#email-kinds');

  // Changed her mind: one button turns them back on, still signed out.
  await page.getByRole('button', { name: 'Turn these emails back on' }).click();
  await page.waitForSelector('h1:has-text("back on")');
  assert.equal(await page.locator('h1').textContent(), `Emails about ${topic} are back on`);
  settings = await call(nora, 'GET', '/api/v1/me/notification-settings');
  assert.equal(settings.email.reply, true);
  await page.close();
});
