// The outbox worker: inside `serve`, and as `roundtable worker` for
// deployments that run it apart. Notifications of new posts are its work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer, BINARY, DEMO_PASSWORD } from '../support/server.mjs';
import { eventually } from '../support/eventually.mjs';
import { startCapture } from '../support/mail_capture.mjs';

const ANA = 'active@demo.roundtable.test';
const GRANT = 'grace@demo.roundtable.test';

async function call(base, path, { method = 'GET', token, body } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(base + path, { method, headers, body: body && JSON.stringify(body) });
  return { status: r.status, body: r.status === 204 ? null : await r.json() };
}

async function signIn(base, email) {
  const r = await call(base, '/api/v1/session', { method: 'POST', body: { email, password: DEMO_PASSWORD } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.token;
}

// Ana asks in a members-only group and Grant replies, through `base`.
// Returns Ana's token and the reply's id.
async function askAndReply(base) {
  const ana = await signIn(base, ANA);
  const grant = await signIn(base, GRANT);
  for (const t of [ana, grant]) {
    const j = await call(base, '/api/v1/groups/data-measurement/membership', { method: 'POST', token: t });
    assert.ok([200, 201].includes(j.status), JSON.stringify(j.body));
  }
  const t = await call(base, '/api/v1/groups/data-measurement/threads', {
    method: 'POST', token: ana, body: { kind: 'question', title: 'Worker test', body: 'Who counts visits?' },
  });
  assert.equal(t.status, 201, JSON.stringify(t.body));
  const r = await call(base, `/api/v1/threads/${t.body.thread.id}/posts`, {
    method: 'POST', token: grant, body: { body: 'We do.' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { ana, reply: r.body.post.id };
}

const notified = (base, token, postId) => eventually(async () => {
  const r = await call(base, '/api/v1/notifications', { token });
  return r.body.notifications.some((n) => n.kind === 'reply' && n.post_id === postId);
}, { what: `the notification of post ${postId}` });

// Resolves to {code, signal, ms} when the process exits after SIGTERM.
async function terminate(proc, exited) {
  const t0 = Date.now();
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10000);
  const how = await exited;
  clearTimeout(timer);
  return { ...how, ms: Date.now() - t0 };
}

test("serve's worker handles posts written by another process, and stops with the server", async () => {
  const a = await startServer();  // with its worker
  try {
    const b = await startServer({ dataDir: a.dataDir, args: ['--no-worker'] });
    try {
      // B has no worker and cannot signal A's: only A's poll can do this.
      const { ana, reply } = await askAndReply(b.base);
      await notified(b.base, ana, reply);
    } finally {
      await b.stop();
    }
    const how = await terminate(a.proc, a.exited);
    assert.equal(how.code, 0, a.log());
    assert.ok(how.ms < 5000, `serve took ${how.ms} ms to stop`);
    assert.match(a.log(), /stopped/);
  } finally {
    await a.stop();
  }
});

test('roundtable worker does the work of a serve started with --no-worker, until SIGTERM', async () => {
  const srv = await startServer({ args: ['--no-worker'] });
  try {
    const { ana, reply } = await askAndReply(srv.base);
    const proc = spawn(BINARY, ['worker', '--data', srv.dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stderr.on('data', (d) => (output += d));
    proc.stdout.on('data', (d) => (output += d));
    const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    try {
      await notified(srv.base, ana, reply);
    } finally {
      const how = await terminate(proc, exited);
      assert.equal(how.code, 0, output);
      assert.ok(how.ms < 5000, `worker took ${how.ms} ms to stop`);
      assert.match(output, /worker stopped/);
      assert.match(output, /no --smtp-url: mail is queued in the outbox and not sent/);
    }
  } finally {
    await srv.stop();
  }
});

test('roundtable worker --smtp-url mails the reply to the asker', async () => {
  const smtp = await startCapture();
  const srv = await startServer({ args: ['--no-worker'] });
  try {
    const { reply } = await askAndReply(srv.base);
    const proc = spawn(BINARY, ['worker', '--data', srv.dataDir, '--smtp-url', smtp.url,
      '--mail-domain', 'groups.example.test'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stderr.on('data', (d) => (output += d));
    proc.stdout.on('data', (d) => (output += d));
    const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    try {
      const mail = await smtp.waitFor((m) => m.headers['message-id'] === `<post-${reply}@groups.example.test>`,
        'the reply mail');
      assert.deepEqual(mail.rcptTo, [ANA]);
      assert.equal(mail.headers['auto-submitted'], 'auto-generated');
    } finally {
      const how = await terminate(proc, exited);
      assert.equal(how.code, 0, output);
    }
  } finally {
    await srv.stop();
    await smtp.stop();
  }
});
