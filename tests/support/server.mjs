// Starts the real roundtable binary on a free loopback port with a fresh
// data folder, and stops it afterwards. Used by the HTTP and browser suites.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BINARY = process.env.ROUNDTABLE_BIN || join(ROOT, 'build', 'roundtable');

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// Runs a CLI verb against `dataDir`; resolves to {stdout, stderr, code}.
export async function cli(dataDir, args, input) {
  return new Promise((resolve) => {
    const child = spawn(BINARY, [...args, '--data', dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.on('error', () => {});  // verbs that never read stdin
    child.stdin.end(input ?? '');
  });
}

// Starts a server. Options: seed (run seed-demo first, default true),
// args (extra serve flags), baseUrl (the public URL the server is told),
// dataDir (serve this folder, e.g. another server's, instead of a fresh one:
// no seeding, and stop() leaves it in place). Returns {base, dataDir, stop(), proc, log()}.
export async function startServer({ seed = true, args = [], baseUrl, dataDir: shared } = {}) {
  const dataDir = shared || mkdtempSync(join(tmpdir(), 'roundtable-e2e-'));
  if (seed && !shared) {
    const r = await cli(dataDir, ['seed-demo', '--no-discussions']);
    if (r.code !== 0) throw new Error('seed-demo failed: ' + r.stderr);
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(BINARY, ['serve', '--data', dataDir, '--listen', `127.0.0.1:${port}`,
    '--base-url', baseUrl || base, '--threads', '2', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(base + '/readyz');
      if (r.status === 200) break;
    } catch { /* not up yet */ }
    if (proc.exitCode !== null) throw new Error('server exited: ' + output);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base, dataDir, proc, exited,
    log: () => output,
    // SIGTERM (graceful stop), then SIGKILL if it has not exited in 15 s.
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15000);
      await exited;
      clearTimeout(timer);
      if (!shared) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const DEMO_PASSWORD = 'roundtable-demo';

// One JSON API call to the server at `base`, signed in with `token` (or
// not, when null): the parsed body, {} when there is none.
export async function apiCall(base, token, method, path, body) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  if (body) headers['content-type'] = 'application/json';
  const r = await fetch(base + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  return text ? JSON.parse(text) : {};
}

// A bearer token for a demo account.
export async function sessionToken(base, email) {
  return (await apiCall(base, null, 'POST', '/api/v1/session', { email, password: DEMO_PASSWORD })).token;
}
export { run, ROOT };
