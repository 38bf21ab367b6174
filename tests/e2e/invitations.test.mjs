// Invitations in real Chromium, with mail through a real SMTP server: a
// member invites a colleague who is not yet a member; the colleague
// registers through the link, is told about membership, the membership is
// imported with `roundtable members import`, and the same link then joins.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from '../support/browser.mjs';
import { startServer, cli, run, DEMO_PASSWORD } from '../support/server.mjs';
import { startCapture } from '../support/mail_capture.mjs';

const PASSWORD = 'a long enough passphrase';
let srv, smtp, browser;
before(async () => {
  smtp = await startCapture();
  srv = await startServer({ args: ['--smtp-url', smtp.url, '--mail-domain', 'groups.example.test'] });
  browser = await launch();
});
after(async () => { await srv?.stop(); await smtp?.stop(); await browser?.close(); });

async function freshPage() {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  page.setDefaultTimeout(15000);
  return page;
}

async function signIn(page, email, password = DEMO_PASSWORD) {
  await page.goto(srv.base + '/signin');
  await page.fill('#field-email', email);
  await page.fill('#field-password', password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('.banner');
}

test('invite a colleague, who registers, is told about membership, is imported and joins', async () => {
  const sam = `sam.${Date.now()}@example.org`;
  let page = await freshPage();
  await signIn(page, 'active@demo.roundtable.test');
  await page.goto(srv.base + '/groups/data-measurement');
  await page.getByRole('button', { name: 'Join Data and Measurement' }).click();
  await page.waitForSelector('.banner');
  await page.getByRole('link', { name: 'Invite colleagues' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Invite colleagues to Data and Measurement');
  await page.getByLabel('Email addresses').fill(`${sam}\nactive@demo.roundtable.test`);
  await page.getByLabel('A note from you (optional)').fill('Sam, this group is where we compare dashboards.');
  await page.getByRole('button', { name: 'Send invitations' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Your invitation is on its way');
  assert.match(await page.locator('main').textContent(), /Not invited: active@demo\.roundtable\.test\. Already a member/);
  await page.getByRole('link', { name: 'See your invitations' }).click();
  assert.match(await page.locator('main').textContent(), new RegExp(`${sam.replace(/\./g, '\\.')} to Data and Measurement`));
  await page.close();

  // The mail, as the SMTP server received it.
  const mail = await smtp.waitFor((m) => m.rcptTo.includes(sam), 'the invitation mail');
  assert.match(mail.headers.from, /^"?Ana Active via PLA Interest Groups"? <noreply@groups\.example\.test>$/);
  assert.match(mail.headers.to, new RegExp(`^<?${sam.replace(/\./g, '\\.')}>?$`));
  assert.equal(mail.headers.subject, 'Ana Active invites you to join Data and Measurement');
  assert.match(mail.headers['message-id'], /^<[^@\s]+@groups\.example\.test>$/);
  assert.equal(mail.headers['auto-submitted'], 'auto-generated');
  assert.equal(mail.headers['list-unsubscribe'], undefined);
  assert.match(mail.headers['content-type'], /^multipart\/alternative/);
  assert.deepEqual(mail.parts.map((p) => p.type), ['text/plain', 'text/html']);
  const url = new RegExp(`${srv.base.replace(/[.]/g, '\\.')}/invitations/([A-Za-z0-9_-]{43})`);
  const link = mail.parts[0].text.match(url);
  assert.ok(link, mail.parts[0].text);
  assert.ok(mail.parts[1].text.includes(link[0]));
  for (const part of mail.parts) {
    assert.match(part.text, /Ana Active/);
    assert.match(part.text, /for PLA members with a current membership/);
    assert.match(part.text, /compare dashboards/);
  }

  // Sam opens the link signed out and registers through it.
  page = await freshPage();
  await page.goto(link[0]);
  assert.equal(await page.locator('h1').textContent(), 'Ana Active invites you to join Data and Measurement');
  await page.locator('main').getByRole('link', { name: 'Create an account' }).click();
  assert.equal(await page.locator('#field-email').inputValue(), sam);
  await page.fill('#field-name', 'Sam Colleague');
  await page.fill('#field-password', PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/invitations\//);
  assert.match(await page.locator('#invitation-refusal').textContent(), /This group is for PLA members/);

  // The association's list arrives; the same link now joins.
  const csv = join(srv.dataDir, 'members.csv');
  writeFileSync(csv, `email,member_type,paid_through\n${sam},Personal,2099-12-31\n`);
  const out = await cli(srv.dataDir, ['members', 'import', csv, '--association', 'pla']);
  assert.equal(out.code, 0, out.stderr);
  await page.reload();
  await page.getByRole('button', { name: 'Join Data and Measurement' }).click();
  await page.waitForURL(/\/groups\/data-measurement\?notice=joined/);
  assert.match(await page.locator('.banner').textContent(), /You have joined this group/);
  assert.match(await page.locator('main').textContent(), /You are a member of this group/);

  // Twice: the link is gone.
  const again = await page.goto(link[0]);
  assert.equal(again.status(), 410);
  assert.equal(await page.locator('h1').textContent(), 'This link no longer works');
  await page.close();

  // The inviter sees it joined; the liaison sees the count.
  page = await freshPage();
  await signIn(page, 'active@demo.roundtable.test');
  await page.goto(srv.base + '/invitations');
  assert.match(await page.locator('.invitation-list').textContent(), /Joined/);
  await page.close();
  page = await freshPage();
  await signIn(page, 'liaison@demo.roundtable.test');
  await page.goto(srv.base + '/groups/data-measurement/settings');
  assert.equal(await page.locator('#invitations-joined').textContent(),
    '1 member joined through invitations. Members invite colleagues from the group\'s page.');
  await page.close();
});

test('a link opened by another account, or after it expired, is 410 with a clear page', async () => {
  const lena = await (await fetch(srv.base + '/api/v1/session', { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'liaison@demo.roundtable.test', password: DEMO_PASSWORD }) })).json();
  const kim = `kim.${Date.now()}@example.org`;
  const r = await fetch(srv.base + '/api/v1/groups/social-work/invitations', { method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${lena.token}` },
    body: JSON.stringify({ emails: [kim] }) });
  assert.equal(r.status, 201);
  const mail = await smtp.waitFor((m) => m.rcptTo.includes(kim), 'the invitation mail');
  const link = mail.parts[0].text.match(/https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]+/)[0];

  const page = await freshPage();
  await signIn(page, 'visitor@demo.roundtable.test');
  const wrong = await page.goto(link);
  assert.equal(wrong.status(), 410);
  assert.match(await page.locator('main').textContent(), new RegExp(`was sent to ${kim.replace(/\./g, '\\.')}, but you are signed in as visitor@demo\\.roundtable\\.test`));
  // Sign out, as the page says, and the link works for a visitor.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/notice=signed_out/);
  const ok = await page.goto(link);
  assert.equal(ok.status(), 200);
  // Past its expiry the link is gone too.
  await run('sqlite3', [join(srv.dataDir, 'roundtable.db'),
    `UPDATE invitations SET expires_at = created_at WHERE email = '${kim}'`]);
  const expired = await page.goto(link);
  assert.equal(expired.status(), 410);
  assert.match(await page.locator('main').textContent(), /expired on .* Ask Lena Liaison or another member/);
  await page.close();
});
