// A member answers a check-in in real Chromium, with the keyboard only:
// the offer arrives by email (read back from the SMTP capture server), the
// group page shows the notice, the form takes the answers, the
// confirmation follows, and on "Your check-ins" she deletes them again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signInAsDemo } from '../support/browser.mjs';
import { startServer, cli, apiCall, sessionToken } from '../support/server.mjs';
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

test('a member is offered a check-in, answers it by keyboard, and deletes it', async () => {
  // Ana's question gets an accepted answer: her check-in is due at once.
  const ana = await session('active@demo.roundtable.test');
  const grant = await session('grace@demo.roundtable.test');
  for (const t of [ana, grant]) await call(t, 'POST', '/api/v1/groups/data-measurement/membership');
  const q = await call(ana, 'POST', '/api/v1/groups/data-measurement/threads',
    { kind: 'question', title: 'Measuring storytime', body: 'What do you ask families?' });
  const reply = await call(grant, 'POST', `/api/v1/threads/${q.thread.id}/posts`, { body: 'Three questions at the door.' });
  await call(ana, 'POST', `/api/v1/threads/${q.thread.id}/answer`, { post_id: reply.post.id });

  // The hourly job, run once: one offer each, sent by the server's worker.
  const args = ['checkins', 'send', '--base-url', srv.base, '--mail-domain', 'groups.example.test'];
  const sent = await cli(srv.dataDir, args);
  assert.equal(sent.code, 0, sent.stderr);
  assert.match(sent.stdout, /^2 check-in offer\(s\) queued/);
  const again = await cli(srv.dataDir, args);
  assert.match(again.stdout, /^0 check-in offer\(s\) queued/);
  const mail = await smtp.waitFor((m) => m.rcptTo.includes('active@demo.roundtable.test') &&
    /check-in/.test(m.headers.subject || ''), 'the check-in offer');
  assert.match(mail.headers.subject, /^\[Data and Measurement\] Is this group helping you\?/);
  const link = '/groups/data-measurement/checkin?moment=immediate';
  assert.ok(mail.parts[0].text.includes(link), mail.parts[0].text);
  assert.ok(mail.parts[1].text.includes(link));
  assert.ok(unsubscribePath(mail), 'a one-click unsubscribe from check-in mail');
  assert.equal(mail.headers['auto-submitted'], 'auto-generated');

  const page = await browser.context.newPage();
  page.setDefaultTimeout(10000);
  await signInAsDemo(browser, page, srv.base, 'active@demo.roundtable.test');
  await page.goto(srv.base + '/groups/data-measurement');
  const notice = page.locator('section.banner--checkin');
  assert.equal(await notice.locator('h2').textContent(), 'Is this group helping you?');
  // Keyboard only from here: the notice's "Answer" link, then the form.
  await notice.getByRole('link', { name: /Answer/ }).focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('h1:has-text("Is Data and Measurement helping you?")');
  const ids = await page.locator('fieldset.scale-item').evaluateAll((fs) => fs.map((f) => f.id.slice(6)));
  assert.equal(ids.length, 8);
  for (const id of ids) {
    // Tab into each group of radios and move to "Agree" with the arrow keys.
    await page.focus(`#answer-${id}-1`);
    await page.keyboard.press('Space');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  }
  await page.focus('#field-learned');
  await page.keyboard.type('To ask families three short questions.');
  await page.keyboard.press('Tab');  // to "improve"
  await page.keyboard.press('Tab');  // to "You may quote me"
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');  // to "Send my answers"
  await page.keyboard.press('Enter');
  await page.waitForSelector('h1:has-text("Thank you")');
  assert.equal(await page.locator('h1').textContent(), 'Thank you: your answers are saved');

  // What she sent, as the API shows it.
  const mine = await call(ana, 'GET', '/api/v1/me/checkins');
  assert.equal(mine.checkins.length, 1);
  assert.deepEqual(mine.checkins[0].answers.filter((a) => a.type === 'scale').map((a) => a.value),
    [4, 4, 4, 4, 4, 4, 4, 4]);
  assert.equal(mine.checkins[0].quote_consent, true);
  assert.equal(mine.checkins[0].answers.at(-1).value, 'To ask families three short questions.');

  await page.getByRole('link', { name: 'See or delete your answers' }).click();
  await page.waitForSelector('h1:has-text("Your check-ins")');
  assert.match(await page.locator('.checkin').textContent(), /To ask families three short questions\./);
  await page.getByRole('link', { name: /Delete these answers/ }).click();
  await page.waitForSelector('h1:has-text("Delete your answers?")');
  await page.getByRole('button', { name: 'Delete my answers' }).click();
  await page.waitForSelector('.empty');
  assert.match(await page.locator('main').textContent(), /Your answers to that check-in are deleted/);
  assert.deepEqual((await call(ana, 'GET', '/api/v1/me/checkins')).checkins, []);
  // The group page no longer asks.
  await page.goto(srv.base + '/groups/data-measurement');
  assert.equal(await page.locator('section.banner--checkin').count(), 0);
  await page.close();
});
