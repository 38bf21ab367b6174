// The digest journey in real Chromium: a member sets a group to daily on
// the settings page, another member posts, the digest runs, and its link
// opens the post.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../support/browser.mjs';
import { startServer, cli, DEMO_PASSWORD } from '../support/server.mjs';
import { startCapture } from '../support/mail_capture.mjs';
import { afterDigestHour } from '../support/digests.mjs';

const GRANT = 'grace@demo.roundtable.test';
let srv, smtp, browser;
before(async () => {
  smtp = await startCapture();
  srv = await startServer({ args: ['--smtp-url', smtp.url, '--mail-domain', 'groups.example.test'] });
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); await smtp?.stop(); });

test('set a group to daily, post as another member, run the digest, open its link', async () => {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(10000);
  await page.goto(srv.base + '/settings/notifications');
  await page.fill('#field-email', GRANT);
  await page.fill('#field-password', DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/settings\/notifications/);
  await page.goto(srv.base + '/groups/data-measurement');
  await page.getByRole('button', { name: 'Join Data and Measurement' }).click();
  await page.waitForSelector('.banner');
  await page.goto(srv.base + '/settings/notifications#group-data-measurement');
  const group = page.getByRole('group', { name: 'Data and Measurement' });
  await group.getByRole('radio', { name: 'Weekly digest' }).check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.waitForSelector('.banner');
  await group.getByRole('radio', { name: 'Daily digest' }).check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  assert.match(await page.locator('.banner').textContent(), /saved/);

  // Ana posts through the API.
  const login = await fetch(srv.base + '/api/v1/session', { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'active@demo.roundtable.test', password: DEMO_PASSWORD }) });
  const { token } = await login.json();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  await fetch(srv.base + '/api/v1/groups/data-measurement/membership', { method: 'POST', headers });
  const posted = await fetch(srv.base + '/api/v1/groups/data-measurement/threads', { method: 'POST', headers,
    body: JSON.stringify({ kind: 'discussion', title: 'Door counters compared', body: 'Our **infrared** counter misses groups.' }) });
  assert.equal(posted.status, 201);

  const run = await cli(srv.dataDir, ['digests', 'send', '--period', 'daily', '--now', afterDigestHour(),
    '--base-url', srv.base, '--mail-domain', 'groups.example.test']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^\d+ sent/);
  const mail = await smtp.waitFor((m) => m.rcptTo.includes(GRANT) && /digest/.test(m.headers.subject),
    "Grant's digest");
  const html = mail.parts.find((p) => p.type === 'text/html').text;
  const link = html.match(/<a href="([^"]+\/threads\/\d+)">Door counters compared<\/a>/);
  assert.ok(link, html);
  await page.goto(link[1]);
  assert.match(await page.locator('h1').textContent(), /Door counters compared/);
  assert.match(await page.locator('main').textContent(), /misses groups/);
  await page.close();
});
