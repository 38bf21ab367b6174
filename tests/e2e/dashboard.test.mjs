// The liaison reads the group's dashboard in real Chromium: from the group
// page, with the outcome section, the trend charts and their tables, a new
// period chosen in the form, and the print layout. A screenshot is kept
// as a test artifact (build/test-artifacts/dashboard.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, signInAsDemo } from '../support/browser.mjs';
import { startServer, ROOT, DEMO_PASSWORD } from '../support/server.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => { await srv?.stop(); await browser?.close(); });

async function call(email, method, path, body) {
  const s = await fetch(srv.base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  const { token } = await s.json();
  const r = await fetch(srv.base + path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body ? JSON.stringify(body) : undefined });
  assert.ok(r.status < 300, `${method} ${path}: ${r.status}`);
  return r.json();
}

test('the liaison reads the dashboard, changes the period and prints it', async () => {
  // Some activity: Ana asks, Grant answers, Ana accepts the answer.
  for (const who of ['active', 'grace']) {
    await call(`${who}@demo.roundtable.test`, 'POST', '/api/v1/groups/data-measurement/membership');
  }
  const q = await call('active@demo.roundtable.test', 'POST', '/api/v1/groups/data-measurement/threads',
    { kind: 'question', title: 'How do you count program outcomes?', body: 'Looking for a simple method.' });
  const a = await call('grace@demo.roundtable.test', 'POST', `/api/v1/threads/${q.thread.id}/posts`,
    { body: 'We ask four questions after each program.' });
  await call('active@demo.roundtable.test', 'POST', `/api/v1/threads/${q.thread.id}/answer`, { post_id: a.post.id });

  const page = await browser.context.newPage();
  page.setDefaultTimeout(15000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signInAsDemo(browser, page, srv.base, 'liaison@demo.roundtable.test');
  await page.goto(srv.base + '/groups/data-measurement');
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.waitForSelector('h1:has-text("Data and Measurement: dashboard")');

  // Outcomes: no check-ins yet, said plainly.
  const outcomes = page.locator('section[aria-labelledby="outcomes-heading"]');
  assert.match(await outcomes.textContent(), /Not enough answers yet \(fewer than 5\)/);
  // Totals, read as a screen reader would: row header, then value.
  const replies = page.getByRole('row', { name: /^Replies \d+$/ });
  assert.equal(await replies.getByRole('cell').textContent(), '1');
  assert.equal(await page.getByRole('row', { name: /^Share of questions answered/ }).getByRole('cell').textContent(), '100%');
  // Four charts, each an image with a name and a description, and a table.
  const charts = page.getByRole('img');
  assert.equal(await charts.count(), 4);
  assert.equal(await page.getByRole('img', { name: 'Threads started and replies' }).count(), 1);
  const desc = await page.locator('#chart-threads-desc').textContent();
  assert.match(desc, /Replies: .*highest 1 in /);
  assert.equal(await page.getByRole('table', { name: 'Threads started and replies' }).count(), 1);

  const today = new Date().toISOString().slice(0, 10);
  const shot = join(ROOT, 'build', 'test-artifacts');
  mkdirSync(shot, { recursive: true });
  await page.screenshot({ path: join(shot, 'dashboard.png'), fullPage: true });

  // A period with nothing in it: the form keeps it in the address.
  await page.fill('#field-from', '2024-01-01');
  await page.fill('#field-to', '2024-03-31');
  await page.getByRole('button', { name: 'Show this period' }).click();
  await page.waitForSelector('text=1 January 2024 to 31 March 2024');
  assert.match(page.url(), /from=2024-01-01&to=2024-03-31/);
  assert.equal(await page.getByRole('row', { name: /^Replies \d+$/ }).getByRole('cell').textContent(), '0');
  assert.equal(await page.getByRole('table', { name: 'Active people and new members' }).getByRole('row').count(), 4);

  // A mistyped date is explained at the top and beside the field.
  await page.fill('#field-to', '2023-12-31');
  await page.getByRole('button', { name: 'Show this period' }).click();
  await page.waitForSelector('.error-summary');
  await page.getByRole('link', { name: /start of the period must come before its end/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'field-from');

  // Printed: no header, forms or downloads, every chart and table kept.
  await page.goto(srv.base + `/groups/data-measurement/dashboard?to=${today}`);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false);
  assert.equal(await page.locator('.period-form').isVisible(), false);
  assert.equal(await page.locator('#downloads-heading').isVisible(), false);
  assert.equal(await page.getByRole('img').count(), 4);
  assert.equal(await page.locator('.chart-data').first().isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
});
