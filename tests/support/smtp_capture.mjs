// A real SMTP server for tests: records every message it accepts.
//
//   node tests/support/smtp_capture.mjs OUTDIR [options]
//
// Listens on 127.0.0.1, port 0 (a free port), and prints the port on its
// first stdout line once it is ready. For message N (1, 2, ...) it writes
// OUTDIR/N.eml (the DATA bytes exactly as received, dot-unstuffed) and then
// OUTDIR/N.json ({mailFrom, rcptTo, authUser, secure, size}), renamed into
// place before the server answers 250, so a client that got 250 can read
// both. Stops on SIGTERM or SIGINT.
//
// Options:
//   --reject ADDR=CODE   answer CODE (e.g. 451, 550) to RCPT TO:<ADDR>
//   --reject-data CODE   answer CODE after DATA instead of 250
//   --auth USER:PASS     require AUTH (PLAIN/LOGIN) with these credentials
//   --insecure-auth      allow AUTH without TLS (default: only after STARTTLS)
//   --tls KEY,CERT       offer STARTTLS with this PEM key and certificate
//   --implicit-tls       with --tls: TLS from the first byte (smtps://)
import {readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {SMTPServer} from 'smtp-server';

const args = process.argv.slice(2);
const outDir = args.shift();
if (!outDir) {
  console.error('usage: smtp_capture.mjs OUTDIR [options]');
  process.exit(2);
}
const rejects = new Map();
let rejectData = 0;
let auth = null;
let insecureAuth = false;
let tls = null;
let implicitTls = false;
while (args.length) {
  const flag = args.shift();
  if (flag === '--reject') {
    const [addr, code] = args.shift().split('=');
    rejects.set(addr.toLowerCase(), Number(code));
  } else if (flag === '--reject-data') {
    rejectData = Number(args.shift());
  } else if (flag === '--auth') {
    const v = args.shift();
    const i = v.indexOf(':');
    auth = {user: v.slice(0, i), pass: v.slice(i + 1)};
  } else if (flag === '--insecure-auth') {
    insecureAuth = true;
  } else if (flag === '--tls') {
    const [key, cert] = args.shift().split(',');
    tls = {key: readFileSync(key), cert: readFileSync(cert)};
  } else if (flag === '--implicit-tls') {
    implicitTls = true;
  } else {
    console.error(`unknown option ${flag}`);
    process.exit(2);
  }
}

function smtpError(code, text) {
  const err = new Error(text);
  err.responseCode = code;
  return err;
}

let count = 0;
const server = new SMTPServer({
  logger: false,
  banner: 'roundtable test capture',
  secure: Boolean(tls && implicitTls),
  ...(tls ? {key: tls.key, cert: tls.cert} : {}),
  disabledCommands: tls ? [] : ['STARTTLS'],
  authOptional: !auth,
  allowInsecureAuth: insecureAuth,
  authMethods: ['PLAIN', 'LOGIN'],
  onAuth(a, session, cb) {
    if (auth && a.username === auth.user && a.password === auth.pass) {
      cb(null, {user: a.username});
    } else {
      cb(smtpError(535, 'Authentication credentials invalid'));
    }
  },
  onRcptTo(address, session, cb) {
    const code = rejects.get(address.address.toLowerCase());
    if (code) {
      const text = code >= 500 ? 'No such user here' : 'Try again later';
      cb(smtpError(code, text));
    } else {
      cb();
    }
  },
  onData(stream, session, cb) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      if (rejectData) {
        cb(smtpError(
            rejectData, rejectData >= 500 ? 'Message refused' : 'Queue full'));
        return;
      }
      const raw = Buffer.concat(chunks);
      const n = ++count;
      const meta = {
        mailFrom: session.envelope.mailFrom ?
            session.envelope.mailFrom.address :
            null,
        rcptTo: session.envelope.rcptTo.map((r) => r.address),
        authUser: session.user || null,
        secure: Boolean(session.secure),
        size: raw.length,
      };
      writeFileSync(join(outDir, `${n}.eml.tmp`), raw);
      renameSync(join(outDir, `${n}.eml.tmp`), join(outDir, `${n}.eml`));
      writeFileSync(join(outDir, `${n}.json.tmp`), JSON.stringify(meta));
      renameSync(join(outDir, `${n}.json.tmp`), join(outDir, `${n}.json`));
      cb(null, `OK: queued as capture-${n}`);
    });
  },
});

server.on('error', (err) => console.error(`smtp_capture: ${err.message}`));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.server.address().port}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  // Files are written before each 250, so nothing is lost by exiting at once
  // (close() would wait for idle client connections).
  process.on(signal, () => process.exit(0));
}
