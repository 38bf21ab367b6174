// `roundtable mail ingest` as Postfix runs it: a message on stdin, the
// envelope in flags, the outcome in the exit status (sysexits).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, run, ROOT } from '../support/server.mjs';

const DOMAIN = 'mail.example.org';
const FIXTURE_REPLY = 'reply+Xq7Lm2Pz9Rt4Vb8Nc1Kd5Hf3@mail.example.org';
const GRANT = 'grace@demo.roundtable.test';
const ANA = 'active@demo.roundtable.test';
const MAIL = ['--mail-domain', DOMAIN, '--base-url', 'https://groups.example.org'];
// The demo's question in data-measurement (seed-demo: welcome 1, question 2).
const THREAD = 2;

let dir;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roundtable-ingest-'));
  const seed = await cli(dir, ['seed-demo']);
  assert.equal(seed.code, 0, seed.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

// Fixture bytes as a binary string, so that 8-bit charsets survive editing.
const fixture = (name) => readFileSync(join(ROOT, 'tests', 'mail', 'fixtures', name)).toString('latin1');
const bytes = (s) => Buffer.from(s, 'latin1');

async function replyAddress(email, thread = THREAD) {
  const r = await cli(dir, ['mail', 'reply-address', '--email', email, '--thread', String(thread), ...MAIL]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

function ingest(message, { recipient, sender } = {}) {
  const args = ['mail', 'ingest', ...MAIL];
  if (recipient !== undefined) args.push('--recipient', recipient);
  if (sender !== undefined) args.push('--sender', sender);
  return cli(dir, args, bytes(message));
}

async function sql(query) {
  const { stdout } = await run('sqlite3', [join(dir, 'roundtable.db'), query]);
  return stdout.trim();
}

const postCount = () => sql(`SELECT COUNT(*) FROM posts WHERE thread_id = ${THREAD}`);
const queuedMail = () => sql("SELECT COUNT(*) FROM outbox WHERE kind = 'mail'");

test('reply-address prints an address at the mail domain, and refuses unknown people', async () => {
  const address = await replyAddress(GRANT);
  assert.match(address, /^reply\+[A-Za-z0-9_-]{43}@mail\.example\.org$/);
  const nobody = await cli(dir, ['mail', 'reply-address', '--email', 'nobody@example.org', '--thread', '2', ...MAIL]);
  assert.notEqual(nobody.code, 0);
  assert.match(nobody.stderr, /roundtable: /);
});

test('a Gmail reply is posted once, however often it is delivered', async () => {
  const address = await replyAddress(GRANT);
  const message = fixture('gmail_reply.eml').replaceAll(FIXTURE_REPLY, address)
    .replaceAll('jane.doe@riverside.example', GRANT);
  const before = Number(await postCount());
  const first = await ingest(message, { recipient: address, sender: GRANT });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, new RegExp(`^posted \\(posted\\) thread ${THREAD} post \\d+`));
  const again = await ingest(message, { recipient: address, sender: GRANT });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /^duplicate/);
  assert.equal(Number(await postCount()), before + 1);
  const [body, via] = (await sql('SELECT body_source, via FROM posts ORDER BY id DESC LIMIT 1')).split('|');
  assert.equal(via, 'email');
  assert.match(body, /^Hi Ana,/);
  assert.doesNotMatch(await sql('SELECT body_source FROM posts ORDER BY id DESC LIMIT 1'), /wrote:|Reply above this line|^>/m);
});

test('a forged From with a valid reply address is refused and answered, not posted', async () => {
  const address = await replyAddress(GRANT);
  const message = fixture('apple_mail_iphone.eml').replaceAll(FIXTURE_REPLY, address)
    .replaceAll('tom.okafor@icloud.example', ANA);
  const before = await postCount();
  const mailBefore = Number(await queuedMail());
  const r = await ingest(message, { recipient: address, sender: ANA });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^refused \(sender_mismatch\), answered/);
  assert.equal(await postCount(), before);
  assert.equal(Number(await queuedMail()), mailBefore + 1);
});

test('a new discussion by mail to the group address', async () => {
  const message = fixture('new_discussion.eml').replaceAll('ana.ruiz@eastside.example', ANA);
  const r = await ingest(message, { recipient: `data-measurement@${DOMAIN}`, sender: ANA });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^posted/);
  assert.equal(await sql("SELECT COUNT(*) FROM threads WHERE title = 'Benchmarks for program attendance?'"), '1');
});

test('machine mail is dropped, and the null sender is never answered', async () => {
  const address = await replyAddress(GRANT);
  const ooo = fixture('out_of_office.eml').replaceAll(FIXTURE_REPLY, address);
  const r = await ingest(ooo, { recipient: address, sender: GRANT });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^dropped/);
  const bounce = await ingest(fixture('bounce_dsn.eml'), { recipient: `bounces@${DOMAIN}`, sender: '' });
  assert.equal(bounce.code, 0, bounce.stderr);
  assert.match(bounce.stdout, /^dropped \(unauthenticated_bounce\)/);
});

async function bounceAddress(email) {
  const r = await cli(dir, ['mail', 'bounce-address', '--email', email, ...MAIL]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

const pausedMail = (email) =>
  sql(`SELECT mail_paused_at IS NOT NULL, mail_pause_reason FROM accounts WHERE email = '${email}'`);

// The fixture's delivery report, saying that mail to `failed` failed for good.
const dsn = (failed, id) => fixture('bounce_dsn.eml').replaceAll('old.address@riverside.example', failed)
  .replace('<20261103150220.8F2C41A3B7@mx.riverside.example>', `<${id}@mx.riverside.example>`);

test('bounce-address prints an address at the mail domain, and refuses unknown people', async () => {
  const address = await bounceAddress(GRANT);
  assert.match(address, /^bounces\+[A-Za-z0-9_-]{43}@mail\.example\.org$/);
  assert.notEqual(address, await bounceAddress(ANA));
  const nobody = await cli(dir, ['mail', 'bounce-address', '--email', 'nobody@example.org', ...MAIL]);
  assert.notEqual(nobody.code, 0);
  assert.match(nobody.stderr, /roundtable: /);
});

test('a forged bounce pauses nobody: not to bounces@, not with another member\'s token', async () => {
  const forged = await ingest(dsn(GRANT, 'forged-plain'), { recipient: `bounces@${DOMAIN}`, sender: '' });
  assert.equal(forged.code, 0, forged.stderr);
  assert.match(forged.stdout, /^dropped \(unauthenticated_bounce\)/);
  assert.match(forged.stderr, new RegExp(`delivery report to bounces@${DOMAIN} dropped: .*${GRANT}`));
  // Ana knows her own bounce address (the Return-Path of her mail).
  const other = await ingest(dsn(GRANT, 'forged-token'), { recipient: await bounceAddress(ANA), sender: '' });
  assert.equal(other.code, 0, other.stderr);
  assert.match(other.stdout, /^dropped \(bounce_recipient_mismatch\)/);
  assert.equal((await pausedMail(GRANT)).split('|')[0], '0');
  assert.equal((await pausedMail(ANA)).split('|')[0], '0');
});

test('a permanent bounce at a member\'s bounce address pauses their mail', async () => {
  assert.equal((await pausedMail(ANA)).split('|')[0], '0');
  const r = await ingest(dsn(ANA, 'second-bounce'), { recipient: await bounceAddress(ANA), sender: '' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^bounce \(permanent_failure\)/);
  const [flag, reason] = (await pausedMail(ANA)).split('|');
  assert.equal(flag, '1');
  assert.match(reason, /^5\.1\.1 /);
});

test('exit statuses tell the MTA what to do', async () => {
  const notMail = await ingest('this is not a message\n');
  assert.equal(notMail.code, 65);
  assert.match(notMail.stderr, /roundtable: /);
  const plain = `From: ${GRANT}\r\nTo: postmaster@${DOMAIN}\r\nSubject: hi\r\nMessage-ID: <pm@x.example>\r\n\r\nhello\r\n`;
  const noUser = await ingest(plain, { recipient: `postmaster@${DOMAIN}`, sender: GRANT });
  assert.equal(noUser.code, 67);
  const elsewhere = await ingest(plain, { recipient: 'someone@other.example', sender: GRANT });
  assert.equal(elsewhere.code, 67);
  // The database cannot be opened: Postfix keeps the message and retries.
  const down = await cli(dir, ['mail', 'ingest', ...MAIL, '--recipient', `data-measurement@${DOMAIN}`,
    '--database', 'sqlite:/proc/no-such-dir/roundtable.db'], bytes(plain));
  assert.equal(down.code, 75, down.stderr);
});

test('a 30 MB message is refused with bounded work, and nothing is posted', async () => {
  const address = await replyAddress(GRANT);
  const head = `From: ${GRANT}\r\nTo: ${address}\r\nSubject: Re: huge\r\nMessage-ID: <huge@x.example>\r\n\r\n`;
  const before = await postCount();
  const started = Date.now();
  const r = await ingest(head + 'a'.repeat(30 * 1024 * 1024), { recipient: address, sender: GRANT });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^refused \(mail_too_large\)/);
  assert.ok(Date.now() - started < 20000);
  assert.equal(await postCount(), before);
});

test('10,000 MIME parts and 100 levels of nesting are refused', async () => {
  const address = await replyAddress(GRANT);
  const head = (id) => `From: ${GRANT}\r\nTo: ${address}\r\nSubject: Re: parts\r\nMessage-ID: <${id}@x.example>\r\nMIME-Version: 1.0\r\n`;
  let parts = head('parts') + 'Content-Type: multipart/mixed; boundary=b\r\n\r\n';
  for (let i = 0; i < 10000; i++) parts += '--b\r\nContent-Type: text/plain\r\n\r\nx\r\n';
  parts += '--b--\r\n';
  let deep = head('deep');
  for (let i = 0; i < 100; i++) deep += `Content-Type: multipart/mixed; boundary=d${i}\r\n\r\n--d${i}\r\n`;
  deep += 'Content-Type: text/plain\r\n\r\nhello\r\n';
  const before = await postCount();
  for (const [message, reason] of [[parts, 'mail_too_many_parts'], [deep, 'mail_too_deep']]) {
    const r = await ingest(message, { recipient: address, sender: GRANT });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^refused \\(${reason}\\)`));
  }
  assert.equal(await postCount(), before);
});
