// `roundtable digests send` against a real database: the summary line, the
// mail the server then sends through a real SMTP server, and a second run
// that sends nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli, DEMO_PASSWORD } from '../support/server.mjs';
import { startCapture } from '../support/mail_capture.mjs';
import { afterDigestHour } from '../support/digests.mjs';

const DOMAIN = 'groups.example.test';
let srv, smtp;
before(async () => {
  smtp = await startCapture();
  srv = await startServer({ baseUrl: `https://${DOMAIN}`, args: ['--smtp-url', smtp.url, '--mail-domain', DOMAIN] });
});
after(async () => { await srv?.stop(); await smtp?.stop(); });

const call = async (token, method, path, body) => {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(srv.base + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, body: await r.json() };
};
const session = async (email) =>
  (await call(null, 'POST', '/api/v1/session', { email, password: DEMO_PASSWORD })).body.token;

const digestArgs = (now, ...more) => ['digests', 'send', '--period', 'daily', '--now', now,
  '--base-url', `https://${DOMAIN}`, '--mail-domain', DOMAIN, ...more];

test('digests send queues one digest per person, the server mails it, and a second run sends nothing', async () => {
  const ana = await session('active@demo.roundtable.test');
  const grant = await session('grace@demo.roundtable.test');
  for (const t of [ana, grant]) {
    const r = await call(t, 'POST', '/api/v1/groups/data-measurement/membership');
    assert.ok([200, 201].includes(r.status), JSON.stringify(r.body));
  }
  const r = await call(ana, 'POST', '/api/v1/groups/data-measurement/threads',
    { kind: 'question', title: 'Digest-worthy question', body: 'Who counts **visits**?' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const thread = r.body.thread.id;

  const now = afterDigestHour();
  const dry = await cli(srv.dataDir, digestArgs(now, '--dry-run'));
  assert.equal(dry.code, 0, dry.stderr);
  // Grant and Lena (the liaison) get it; Ana has only her own post.
  assert.match(dry.stdout, /^2 sent, 1 skipped \(nothing new\), 0 failed \(dry run/);

  const first = await cli(srv.dataDir, digestArgs(now));
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout.trim(), '2 sent, 1 skipped (nothing new), 0 failed');
  assert.match(first.stderr, /digests: 3 of 3 built/);

  const mail = await smtp.waitFor((m) => m.rcptTo.includes('grace@demo.roundtable.test') &&
    /digest/.test(m.headers.subject), "Grant's digest");
  assert.equal(mail.headers.subject, 'Your daily digest: 1 new post in 1 group');
  assert.equal(mail.headers['auto-submitted'], 'auto-generated');
  assert.match(mail.headers['list-unsubscribe'], new RegExp(`^<https://${DOMAIN}/unsubscribe/[A-Za-z0-9_-]+>$`));
  assert.equal(mail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
  const text = mail.parts.find((p) => p.type === 'text/plain').text;
  const html = mail.parts.find((p) => p.type === 'text/html').text;
  assert.match(text, /Unanswered question/);
  assert.match(text, /Who counts \*\*visits\*\*\?/);
  for (const part of [text, html]) {
    assert.ok(part.includes(`https://${DOMAIN}/threads/${thread}#reply`), part);
    assert.ok(part.includes(`https://${DOMAIN}/settings/notifications#group-data-measurement`), part);
  }

  const again = await cli(srv.dataDir, digestArgs(now));
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout.trim(), '0 sent, 0 skipped (nothing new), 0 failed');

  const bad = await cli(srv.dataDir, ['digests', 'send', '--period', 'daily', '--now', 'tomorrow']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--now must be an ISO 8601 time/);
});

test('digests schedule prints when digests go out, and changes it when told', async () => {
  const show = async (...args) => {
    const r = await cli(srv.dataDir, ['digests', 'schedule', ...args]);
    return { ...r, line: r.stdout.trim() };
  };
  let r = await show();
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.line, "digests go out at 07:00 America/Chicago (or the member's own time zone); weekly ones on monday");
  r = await show('--hour', '18', '--weekday', 'Thursday');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.line, "digests go out at 18:00 America/Chicago (or the member's own time zone); weekly ones on thursday");
  r = await show('--time-zone', 'Europe/London');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.line, /^digests go out at 18:00 Europe\/London .*on thursday$/);

  for (const [args, message] of [
    [['--hour', '24'], /digest_hour_invalid/],
    [['--weekday', 'someday'], /--weekday must be a day's name/],
    [['--time-zone', 'Mars/Olympus_Mons'], /time_zone_invalid/],
    [['--hour', '6', '--time-zone', '../etc/passwd'], /time_zone_invalid/],
    [['--hour', 'six'], /hour/],
  ]) {
    r = await show(...args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stdout, '');
  }
  r = await show();
  assert.match(r.line, /^digests go out at 18:00 Europe\/London .*on thursday$/, 'refusals change nothing');
  r = await show('--hour', '7', '--weekday', 'monday', '--time-zone', 'America/Chicago');
  assert.equal(r.code, 0, r.stderr);
});
