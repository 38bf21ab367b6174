// A member chooses how they hear from a group, in real Chromium: from the
// group page's "Change" link to the settings page and back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../support/browser.mjs';
import { startServer, DEMO_PASSWORD } from '../support/server.mjs';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await srv?.stop(); await browser?.close(); });

test('a member changes a group to weekly and turns off mention emails', async () => {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  page.setDefaultTimeout(10000);

  await page.goto(srv.base + '/settings/notifications');
  // Signed out: sign in, then land back on the settings.
  await page.fill('#field-email', 'visitor@demo.roundtable.test');
  await page.fill('#field-password', DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/settings\/notifications/);
  assert.match(await page.locator('main').textContent(), /Join a group to choose how you hear from it/);

  await page.goto(srv.base + '/groups/social-work');
  await page.getByRole('button', { name: 'Join Social Work' }).click();
  await page.waitForSelector('.banner');
  assert.match(await page.locator('main').textContent(), /You get a daily digest/);
  await page.getByRole('link', { name: 'Change how you hear from Social Work' }).click();
  await page.waitForURL(/\/settings\/notifications#group-social-work$/);

  const group = page.getByRole('group', { name: 'Social Work' });
  assert.equal(await group.getByRole('radio', { name: 'Daily digest' }).isChecked(), true);
  await group.getByRole('radio', { name: 'Weekly digest' }).check();
  const mention = page.getByRole('checkbox', { name: 'Someone mentions you' });
  assert.equal(await mention.isChecked(), true);
  await mention.uncheck();
  await page.getByRole('button', { name: 'Save settings' }).click();

  assert.match(await page.locator('.banner').textContent(), /Your notification settings are saved/);
  await page.reload();
  assert.equal(await group.getByRole('radio', { name: 'Weekly digest' }).isChecked(), true);
  assert.equal(await group.getByRole('radio', { name: 'Daily digest' }).isChecked(), false);
  assert.equal(await page.getByRole('checkbox', { name: 'Someone mentions you' }).isChecked(), false);
  assert.equal(await page.getByRole('checkbox', { name: 'Someone sends you a private message' }).isChecked(), true);

  await page.goto(srv.base + '/groups/social-work');
  assert.match(await page.locator('main').textContent(), /You get a weekly digest/);
  await page.close();
});
