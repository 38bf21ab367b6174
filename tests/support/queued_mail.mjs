// Reads the mail a server queued in its outbox (kind "mail", see
// src/app/mail_queue.h) straight from the database file, so that tests of
// account mail need no SMTP server: the sender drains the same rows.
import { join } from 'node:path';
import { run } from './server.mjs';

// Every queued message to `to` (any case), oldest first: {subject, text, from, to}.
export async function queuedMail(dataDir, to) {
  const { stdout } = await run('sqlite3', ['-json', join(dataDir, 'roundtable.db'),
    "SELECT payload FROM outbox WHERE kind = 'mail' ORDER BY id"]);
  const rows = stdout.trim() ? JSON.parse(stdout) : [];
  return rows.map((r) => JSON.parse(r.payload))
    .filter((m) => m.to.some((t) => t.address === to.toLowerCase()))
    .map((m) => ({ subject: m.subject, text: m.text, from: m.from.address, to: m.to[0].address }));
}

// The newest link to `path` ("/verify/", "/reset/", "/email-change/") in
// mail to `to`: {url, path, token}; fails when there is none.
export async function linkFor(dataDir, to, path) {
  const re = new RegExp(`(https?://[^/\\s]+)(${path}([A-Za-z0-9_-]+))`);
  const found = (await queuedMail(dataDir, to)).map((m) => m.text.match(re)).filter(Boolean);
  if (!found.length) throw new Error(`no ${path} link in mail to ${to}`);
  const m = found[found.length - 1];
  return { url: m[1] + m[2], path: m[2], token: m[3] };
}

// The account's email_verified_at (null while unverified).
export async function verifiedAt(dataDir, email) {
  const { stdout } = await run('sqlite3', [join(dataDir, 'roundtable.db'),
    `SELECT coalesce(email_verified_at, 'null') FROM accounts WHERE email = '${email.replace(/'/g, "''")}'`]);
  const v = stdout.trim();
  return v === 'null' ? null : Number(v);
}
