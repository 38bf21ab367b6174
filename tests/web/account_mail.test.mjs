// Account mail over HTTP: verification, password reset, email change and
// their limits, through the JSON API and the HTML forms. Mail is read back
// from the outbox in the server's database (tests/support/queued_mail.mjs).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, cli } from '../support/server.mjs';
import { formClient, cookieOf, csrfOf } from '../support/forms.mjs';
import { queuedMail, linkFor, verifiedAt } from '../support/queued_mail.mjs';

const PASSWORD = 'a long enough passphrase';
let srv;
before(async () => { srv = await startServer({ args: ['--mail-max-per-ip', '1000'] }); });
after(async () => { await srv?.stop(); });

const call = async (base, path, { method = 'GET', body, token } = {}) => {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
  const text = await r.text();
  return { status: r.status, headers: r.headers, body: text ? JSON.parse(text) : null };
};
const api = (path, opts) => call(srv.base, path, opts);
let counter = 0;
const fresh = () => `mail${++counter}.${Date.now()}@example.org`;

async function register(email = fresh()) {
  const r = await api('/api/v1/accounts', { method: 'POST', body: { name: 'Mia Mail', email, password: PASSWORD } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const s = await api('/api/v1/session', { method: 'POST', body: { email, password: PASSWORD } });
  assert.equal(s.status, 200);
  return { email, token: s.body.token, id: r.body.account.id };
}

describe('verification', () => {
  test('registration mails a link; GET shows a page and changes nothing; POST verifies once', async () => {
    const { email, token } = await register();
    assert.equal((await api('/api/v1/me', { token })).body.account.email_verified, false);
    const mail = await queuedMail(srv.dataDir, email);
    assert.equal(mail.length, 1);
    assert.equal(mail[0].subject, 'Confirm your email address');
    const link = await linkFor(srv.dataDir, email, '/verify/');
    assert.ok(link.url.startsWith(srv.base + '/verify/'));

    const page = await fetch(link.url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<h1>Confirm your email address<\/h1>/);
    assert.match(html, new RegExp(`action="/verify/${link.token}"`));
    assert.equal(await verifiedAt(srv.dataDir, email), null);

    const ok = await api(`/api/v1/verification/${link.token}`, { method: 'POST' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.account.email_verified, true);
    assert.ok(await verifiedAt(srv.dataDir, email));
    const again = await api(`/api/v1/verification/${link.token}`, { method: 'POST' });
    assert.equal(again.status, 422);
    assert.equal(again.body.error.code, 'link_used');
    assert.equal((await fetch(link.url)).status, 422);
  });

  test('unknown and wrong-purpose links are 404 in the error format', async () => {
    const { email } = await register();
    const verify = await linkFor(srv.dataDir, email, '/verify/');
    for (const path of ['/api/v1/verification/nope', `/api/v1/email-change/${verify.token}`]) {
      const r = await api(path, { method: 'POST' });
      assert.equal(r.status, 404, path);
      assert.equal(r.body.error.code, 'link_not_found');
      assert.ok(r.body.error.message);
    }
    const reset = await api(`/api/v1/password-reset/${verify.token}`, { method: 'POST', body: { password: 'whatever it may be' } });
    assert.equal(reset.status, 404);
    assert.equal((await fetch(srv.base + `/reset/${verify.token}`)).status, 404);
  });

  test('an unverified account is told to confirm; resend sends a new link; verified is 409', async () => {
    const { email, token } = await register();
    const join = await api('/api/v1/groups/data-measurement/membership', { method: 'POST', token });
    assert.equal(join.status, 403);
    assert.equal(join.body.error.code, 'email_unverified');
    const resent = await api('/api/v1/me/verification', { method: 'POST', token });
    assert.equal(resent.status, 202);
    assert.equal((await queuedMail(srv.dataDir, email)).length, 2);
    const link = await linkFor(srv.dataDir, email, '/verify/');
    assert.equal((await api(`/api/v1/verification/${link.token}`, { method: 'POST' })).status, 200);
    const done = await api('/api/v1/me/verification', { method: 'POST', token });
    assert.equal(done.status, 409);
    assert.equal(done.body.error.code, 'already_verified');
    assert.equal((await api('/api/v1/me/verification', { method: 'POST' })).status, 401);
  });

  test('the membership attaches only once the address is verified', async () => {
    const { email, token } = await register();
    const csv = join(srv.dataDir, 'members.csv');
    writeFileSync(csv, `email,member_type,paid_through\n${email},Personal,2099-12-31\n`);
    assert.equal((await cli(srv.dataDir, ['members', 'import', csv, '--association', 'pla'])).code, 0);
    assert.equal((await api('/api/v1/groups/data-measurement/membership', { method: 'POST', token })).status, 403);
    const link = await linkFor(srv.dataDir, email, '/verify/');
    assert.equal((await api(`/api/v1/verification/${link.token}`, { method: 'POST' })).status, 200);
    assert.equal((await api('/api/v1/groups/data-measurement/membership', { method: 'POST', token })).status, 201);
  });

  test('the HTML link page needs the button, and signed-in forms need the CSRF token', async () => {
    const { email } = await register();
    const f = formClient(() => srv.base);
    const signin = await f.post('/signin', f.form({ email, password: PASSWORD }));
    const cookie = cookieOf(signin);
    const link = await linkFor(srv.dataDir, email, '/verify/');
    const forged = await f.post(link.path, f.form({}), { cookie });
    assert.equal(forged.status, 403);
    assert.equal(await verifiedAt(srv.dataDir, email), null);
    const home = await (await f.get('/groups', { cookie })).text();
    assert.match(home, /Send a new link/);  // the notice, with its button
    const resent = await f.post('/account/verification', f.form({ csrf_token: csrfOf(home), next: '/groups' }), { cookie });
    assert.equal(resent.status, 303);
    assert.equal(resent.headers.get('location'), '/groups?notice=verification_sent');
    assert.equal((await queuedMail(srv.dataDir, email)).length, 2);
    const page = await (await f.get(link.path, { cookie })).text();
    assert.doesNotMatch(page, /Send a new link/);  // but not on the page that verifies
    const pressed = await f.post(link.path, f.form({ csrf_token: csrfOf(page) }), { cookie });
    assert.equal(pressed.status, 303);
    assert.match(pressed.headers.get('location'), /notice=email_verified/);
    assert.ok(await verifiedAt(srv.dataDir, email));
  });
});

describe('password reset', () => {
  test('the answer is the same whether or not the address has an account', async () => {
    const { email } = await register();
    const known = await api('/api/v1/password-reset', { method: 'POST', body: { email } });
    const unknown = await api('/api/v1/password-reset', { method: 'POST', body: { email: 'nobody.' + email } });
    assert.equal(known.status, 202);
    assert.equal(unknown.status, 202);
    assert.deepEqual(known.body, unknown.body);
    assert.equal((await queuedMail(srv.dataDir, 'nobody.' + email)).length, 0);
    assert.equal((await queuedMail(srv.dataDir, email)).filter((m) => m.subject === 'Reset your password').length, 1);
    const bad = await api('/api/v1/password-reset', { method: 'POST', body: { email: 'not an address' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'email');

    const f = formClient(() => srv.base);
    const pages = [];
    for (const address of [email, 'nobody.' + email]) {
      const r = await f.post('/forgot-password', f.form({ email: address }));
      assert.equal(r.status, 200);
      pages.push((await r.text()).replaceAll(address, 'ADDRESS'));
    }
    assert.equal(pages[0], pages[1]);
    assert.match(pages[0], /If an account uses ADDRESS, we sent it a link/);
  });

  test('a reset link sets the password once and signs out every session', async () => {
    const { email, token } = await register();
    await api('/api/v1/password-reset', { method: 'POST', body: { email } });
    const link = await linkFor(srv.dataDir, email, '/reset/');
    const form = await fetch(link.url);
    assert.equal(form.status, 200);
    assert.match(await form.text(), /autocomplete="new-password"/);
    const weak = await api(`/api/v1/password-reset/${link.token}`, { method: 'POST', body: { password: 'short' } });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.error.field, 'password');
    const ok = await api(`/api/v1/password-reset/${link.token}`, { method: 'POST', body: { password: 'my brand new passphrase' } });
    assert.equal(ok.status, 204);
    assert.equal((await api('/api/v1/me', { token })).status, 401);
    assert.equal((await api('/api/v1/session', { method: 'POST', body: { email, password: PASSWORD } })).status, 401);
    assert.equal((await api('/api/v1/session', { method: 'POST', body: { email, password: 'my brand new passphrase' } })).status, 200);
    const again = await api(`/api/v1/password-reset/${link.token}`, { method: 'POST', body: { password: 'yet another passphrase' } });
    assert.equal(again.status, 422);
    assert.equal(again.body.error.code, 'link_used');
    assert.ok((await queuedMail(srv.dataDir, email)).some((m) => m.subject === 'Your password was changed'));
  });

  test('changing the password mails a notice', async () => {
    const { email, token } = await register();
    const r = await api('/api/v1/me/password', { method: 'PUT', token, body: { current_password: PASSWORD, new_password: 'another long passphrase' } });
    assert.equal(r.status, 204);
    assert.ok((await queuedMail(srv.dataDir, email)).some((m) => m.subject === 'Your password was changed'));
  });
});

describe('email change', () => {
  test('the new address confirms the change; the old one is told', async () => {
    const { email, token } = await register();
    const next = 'new.' + email;
    const wrong = await api('/api/v1/me/email', { method: 'PATCH', token, body: { email: next, current_password: 'not my password' } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.field, 'current_password');
    const asked = await api('/api/v1/me/email', { method: 'PATCH', token, body: { email: next, current_password: PASSWORD } });
    assert.equal(asked.status, 202);
    assert.equal((await api('/api/v1/me', { token })).body.account.email, email);
    // Another account's address gets the same answer and no mail.
    const taken = await api('/api/v1/me/email', { method: 'PATCH', token, body: { email: 'active@demo.roundtable.test', current_password: PASSWORD } });
    assert.equal(taken.status, 202);
    assert.deepEqual(taken.body, asked.body);
    assert.equal((await queuedMail(srv.dataDir, 'active@demo.roundtable.test')).length, 0);

    const link = await linkFor(srv.dataDir, next, '/email-change/');
    const page = await fetch(link.url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Use this address/);
    assert.equal((await api('/api/v1/me', { token })).body.account.email, email);
    const done = await api(`/api/v1/email-change/${link.token}`, { method: 'POST' });
    assert.equal(done.status, 200);
    assert.equal(done.body.account.email, next);
    assert.equal(done.body.account.email_verified, true);
    assert.ok((await queuedMail(srv.dataDir, email)).some((m) => m.subject === 'Your email address was changed'));
    assert.equal((await api('/api/v1/session', { method: 'POST', body: { email: next, password: PASSWORD } })).status, 200);
  });
});

describe('limits', () => {
  test('mail-sending requests from one address get 429 past the limit', async () => {
    const limited = await startServer({ args: ['--mail-max-per-ip', '3'] });
    try {
      const ask = () => call(limited.base, '/api/v1/password-reset', { method: 'POST', body: { email: 'someone@example.org' } });
      for (let i = 0; i < 3; i++) assert.equal((await ask()).status, 202);
      const r = await ask();
      assert.equal(r.status, 429);
      assert.equal(r.body.error.code, 'too_many_requests');
      assert.ok(r.body.error.message);
      assert.ok(Number(r.headers.get('retry-after')) > 0);
      const page = await fetch(limited.base + '/forgot-password', {
        method: 'POST', redirect: 'manual', body: 'email=someone%40example.org',
        headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(page.status, 429);
      assert.ok(Number(page.headers.get('retry-after')) > 0);
      assert.match(await page.text(), /Too many requests/);
    } finally {
      await limited.stop();
    }
  });

  test('one address gets at most three reset links an hour, and the answer does not change', async () => {
    const { email } = await register();
    for (let i = 0; i < 5; i++) {
      assert.equal((await api('/api/v1/password-reset', { method: 'POST', body: { email } })).status, 202);
    }
    assert.equal((await queuedMail(srv.dataDir, email)).filter((m) => m.subject === 'Reset your password').length, 3);
  });
});
