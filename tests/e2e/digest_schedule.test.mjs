// The digest schedule in real Chromium: an admin finds the page from their
// profile and moves the digest hour, and `roundtable digests send` then
// waits for the new hour.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../support/browser.mjs';
import { startServer, cli, DEMO_PASSWORD } from '../support/server.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => { await browser?.close(); await srv?.stop(); });

const HOUR = 60 * 60 * 1000;
const hourInChicago = (t) => Number(new Intl.DateTimeFormat('en-US',
  { timeZone: 'America/Chicago', hour: 'numeric', hourCycle: 'h23' }).format(t));
const iso = (t) => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');

test('an admin moves the digest hour and the digest run follows it', async () => {
  // Two moments soon after now, in the hour before the new digest hour and
  // in that hour (in Chicago, the association's zone). Hour 0 is avoided:
  // any hour of the day before is "at or past" it.
  let before = Date.now() + HOUR;
  if (hourInChicago(before) === 23) before += HOUR;
  const hour = hourInChicago(before) + 1;
  let at = before;
  while (hourInChicago(at) !== hour) at += 15 * 60 * 1000;

  const page = await browser.context.newPage();
  page.setDefaultTimeout(10000);
  await page.goto(srv.base + '/signin');
  await page.fill('#field-email', 'admin@demo.roundtable.test');
  await page.fill('#field-password', DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('.banner');
  await page.goto(srv.base + '/account');
  await page.getByRole('link', { name: 'Digest schedule' }).click();
  await page.waitForURL(/\/admin\/digests$/);
  assert.equal(await page.getByLabel('Hour digests go out').inputValue(), '7');
  await page.getByLabel('Hour digests go out').selectOption(String(hour));
  await page.getByRole('button', { name: 'Save schedule' }).click();
  assert.match(await page.locator('.banner').textContent(), /digest schedule is saved/);
  assert.equal(await page.getByLabel('Hour digests go out').inputValue(), String(hour));
  await page.close();

  // Grant hears from Data and Measurement daily (its default); Ana posts.
  const session = async (email) => {
    const r = await fetch(srv.base + '/api/v1/session', { method: 'POST',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
    return { authorization: `Bearer ${(await r.json()).token}`, 'content-type': 'application/json' };
  };
  const grant = await session('grace@demo.roundtable.test');
  const ana = await session('active@demo.roundtable.test');
  for (const headers of [grant, ana]) {
    const r = await fetch(srv.base + '/api/v1/groups/data-measurement/membership', { method: 'POST', headers });
    assert.ok([200, 201].includes(r.status));
  }
  const posted = await fetch(srv.base + '/api/v1/groups/data-measurement/threads', { method: 'POST', headers: ana,
    body: JSON.stringify({ kind: 'discussion', title: 'Hour test', body: 'Counting at the new hour.' }) });
  assert.equal(posted.status, 201);

  const send = (t) => cli(srv.dataDir, ['digests', 'send', '--period', 'daily', '--now', iso(t), '--dry-run']);
  const early = await send(before);
  assert.equal(early.code, 0, early.stderr);
  assert.match(early.stdout, /^0 sent, 0 skipped \(nothing new\), 0 failed/, `at ${iso(before)}, before ${hour}:00`);
  const due = await send(at);
  assert.equal(due.code, 0, due.stderr);
  assert.match(due.stdout, /^[1-9]\d* sent/, `at ${iso(at)}, ${hour}:00 or later`);
});
