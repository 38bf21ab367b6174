// The SMTP capture server (smtp_capture.mjs) as a child process for node
// tests, and a small reader for what it captured. Start it before the
// server so that `roundtable serve --smtp-url` has somewhere to send.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.mjs';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'smtp_capture.mjs');

// Starts the capture server; `args` are its options (e.g. ['--reject',
// 'a@b=550']). Returns {url, messages(), waitFor(predicate), stop()}.
export async function startCapture(args = []) {
  const dir = mkdtempSync(join(tmpdir(), 'roundtable-smtp-'));
  const proc = spawn(process.execPath, [SCRIPT, dir, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve(Number(line.trim()));
    });
    proc.on('exit', (code) => reject(new Error(`smtp_capture exited with ${code}`)));
  });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  // Every captured message, in order: {mailFrom, rcptTo, raw, ...parseMail(raw)}.
  const messages = () => readdirSync(dir).filter((f) => f.endsWith('.json'))
    .map((f) => Number(f.slice(0, -5))).sort((a, b) => a - b)
    .map((n) => {
      const meta = JSON.parse(readFileSync(join(dir, `${n}.json`), 'utf8'));
      const raw = readFileSync(join(dir, `${n}.eml`), 'latin1');
      return { ...meta, raw, ...parseMail(raw) };
    });
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    // The first message for which `predicate` holds, waiting for it.
    waitFor: (predicate, what = 'a mail') =>
      eventually(() => messages().find(predicate), { timeout: 15000, interval: 50, what }),
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Headers (unfolded; names lower-cased; first value wins) and the leaf
// parts ({type, text}, quoted-printable and base64 decoded) of a message.
export function parseMail(raw) {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const headers = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    const name = line.slice(0, i).toLowerCase();
    if (!(name in headers)) headers[name] = line.slice(i + 1).trim();
  }
  const body = rest.join('\r\n\r\n');
  const parts = [];
  const boundary = /boundary="?([^";]+)"?/.exec(headers['content-type'] || '')?.[1];
  const chunks = boundary ? body.split('--' + boundary).slice(1, -1) : [head + '\r\n\r\n' + body];
  for (const chunk of chunks) {
    const [ph, ...pb] = chunk.replace(/^\r\n/, '').split('\r\n\r\n');
    const h = ph.replace(/\r\n[ \t]+/g, ' ').toLowerCase();
    let text = pb.join('\r\n\r\n');
    if (h.includes('content-transfer-encoding: quoted-printable')) {
      text = Buffer.from(text.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g,
        (_, x) => String.fromCharCode(parseInt(x, 16))), 'latin1').toString('utf8');
    } else if (h.includes('content-transfer-encoding: base64')) {
      text = Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
    }
    parts.push({ type: /content-type: ([^;\r\n]+)/.exec(h)?.[1], text });
  }
  return { headers, parts };
}

// The path of a mail's List-Unsubscribe URL ("/unsubscribe/TOKEN").
export function unsubscribePath(mail) {
  const url = /<(https?:\/\/[^>]+)>/.exec(mail.headers['list-unsubscribe'] || '')?.[1];
  return url ? new URL(url).pathname : null;
}
