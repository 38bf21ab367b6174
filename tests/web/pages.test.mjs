// The HTML face over plain HTTP: forms, cookies, CSRF and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../support/server.mjs';
import { formClient, cookieOf, csrfOf } from '../support/forms.mjs';

let srv;
before(async () => { srv = await startServer({ args: ['--login-max-failures-per-ip', '8'] }); });
after(async () => { await srv?.stop(); });

const { form, post, get } = formClient(() => srv.base);

async function signIn(email) {
  const r = await post('/signin', form({ email, password: DEMO_PASSWORD, next: '/' }));
  assert.equal(r.status, 303);
  return cookieOf(r);
}

test('form sign-in sets a fresh HttpOnly SameSite=Lax cookie and follows only local next', async () => {
  const a = await post('/signin', form({ email: 'active@demo.roundtable.test', password: DEMO_PASSWORD, next: '/groups/health' }));
  assert.equal(a.status, 303);
  assert.equal(a.headers.get('location'), '/groups/health?notice=signed_in');
  const set = a.headers.get('set-cookie');
  assert.match(set, /HttpOnly/);
  assert.match(set, /SameSite=Lax/);
  // Signed in already (so the form carries the CSRF token), and a hostile next.
  const csrf = csrfOf(await (await get('/', { cookie: cookieOf(a) })).text());
  const b = await post('/signin', form({ email: 'active@demo.roundtable.test', password: DEMO_PASSWORD, next: '//evil.example/', csrf_token: csrf }), { cookie: cookieOf(a) });
  assert.equal(b.headers.get('location'), '/?notice=signed_in');
  assert.notEqual(cookieOf(a), cookieOf(b));
  // Signing in again ended the old session.
  const old = await get('/account', { cookie: cookieOf(a) });
  assert.equal(old.status, 303);
  assert.equal((await get('/account', { cookie: cookieOf(b) })).status, 200);
});

test('a form write without the CSRF token is refused and changes nothing', async () => {
  const cookie = await signIn('visitor@demo.roundtable.test');
  const refused = await post('/groups/social-work/join', '', { cookie });
  assert.equal(refused.status, 403);
  assert.match(await refused.text(), /security check/);
  const page = await (await get('/groups/social-work', { cookie })).text();
  assert.doesNotMatch(page, /You are a member/);
  const ok = await post('/groups/social-work/join', form({ csrf_token: csrfOf(page) }), { cookie });
  assert.equal(ok.status, 303);
  assert.match(await (await get('/groups/social-work', { cookie })).text(), /You are a member/);
  // Signing out needs the token too.
  assert.equal((await post('/signout', '', { cookie })).status, 403);
});

test('forms sent from another site are refused', async () => {
  const r = await post('/signin', form({ email: 'active@demo.roundtable.test', password: DEMO_PASSWORD }), { origin: 'https://evil.example' });
  assert.equal(r.status, 403);
  assert.equal(r.headers.get('set-cookie'), null);
});

test('bad form input shows errors beside the fields and creates nothing', async () => {
  const cases = [
    [{ name: 'Nul\u0000Name', email: 'nul@example.org', password: 'a long enough passphrase' }, /not allowed/],
    [{ name: 'x'.repeat(101), email: 'long@example.org', password: 'a long enough passphrase' }, /100 characters or fewer/],
    [{ name: 'Ok', email: 'nope', password: 'a long enough passphrase' }, /valid email address/],
    [{ name: 'Ok', email: 'active@demo.roundtable.test', password: 'a long enough passphrase' }, /already exists/],
  ];
  for (const [fields, message] of cases) {
    const r = await post('/register', form(fields));
    assert.ok([400, 409].includes(r.status), `${r.status} for ${JSON.stringify(fields).slice(0, 60)}`);
    const html = await r.text();
    assert.match(html, /There is a problem/);
    assert.match(html, message);
    assert.doesNotMatch(html, /a long enough passphrase/);  // passwords are never echoed
  }
  const utf = await post('/register', Buffer.from('name=%FF%FE&email=u%40example.org&password=a+long+enough+passphrase'));
  assert.equal(utf.status, 400);
  const raw = await post('/register', Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3d, 0xff]));
  assert.equal(raw.status, 400);
  for (const email of ['nul@example.org', 'long@example.org', 'u@example.org']) {
    const s = await post('/signin', form({ email, password: 'a long enough passphrase' }));
    assert.equal(s.status, 401, email);
  }
});

test('pages for signed-in people send visitors to sign in', async () => {
  const r = await get('/account');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/signin?next=%2Faccount');
  const members = await get('/groups/social-work/members');
  assert.equal(members.status, 303);
  assert.match(members.headers.get('location'), /^\/signin\?next=/);
});

test('unknown pages and groups are 404 pages', async () => {
  for (const path of ['/groups/no-such-group', '/nothing', '/groups/no-such-group/members']) {
    const r = await get(path);
    assert.equal(r.status, 404, path);
    assert.match(await r.text(), /Page not found/);
  }
});

test('sign-ins are throttled per address too', async () => {
  let last;
  for (let i = 0; i < 9; i++) {
    last = await post('/signin', form({ email: `nobody${i}@example.org`, password: 'wrong password here' }));
  }
  assert.equal(last.status, 429);
  assert.ok(Number(last.headers.get('retry-after')) > 0);
  assert.match(await last.text(), /Too many failed sign-in attempts/);
});

test('the cookie is Secure when the site is served over https', async () => {
  const tls = await startServer({ baseUrl: 'https://groups.example.org' });
  try {
    const r = await fetch(tls.base + '/api/v1/session', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'active@demo.roundtable.test', password: DEMO_PASSWORD }),
    });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('set-cookie'), /; Secure/);
  } finally {
    await tls.stop();
  }
});
