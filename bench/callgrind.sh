#!/usr/bin/env bash
# `make bench-callgrind`: instructions executed per request, by request kind, measured
# with valgrind's callgrind on one server process (--threads 1). Deterministic, so it
# shows small changes that wall-clock benchmarks on a shared 2-core machine cannot.
# See bench/README.md.
#
# Data: BENCH_DATA if set, else bench/data if it has been generated (by `make bench`),
# else a small seed-demo data set made for this run (bench/run.sh make_demo_data).
#
# Environment:
#   BENCH_DATA=DIR             data folder (roundtable.db + bench-info.json)
#   BENCH_CG_REQUESTS=50       requests of each kind
#   BENCH_CG_IDLE=2            seconds of idle server measured as the baseline
#   BENCH_CG_WARMUP=3          unmeasured requests of every kind sent first
#   BENCH_CG_KINDS="a b"       measure only these kinds (default: all, in the order below)
#   BENCH_KEEP=1               keep the scratch folder
#
# Warm figures: BENCH_CG_WARMUP >= BENCH_CG_REQUESTS makes the warm-up visit the same
# threads the windows then measure, so caches are hot (what a busy server sees).
#
# Method: the server starts under callgrind and is polled on /readyz (60 s allowed).
# `callgrind_control --dump=LABEL` then closes one measurement window at a time:
#   startup (exec to ready), warmup (BENCH_CG_WARMUP requests of every kind, not used),
#   idle (BENCH_CG_IDLE seconds, nothing sent), then one window per kind in which a single keep-alive client sends BENCH_CG_REQUESTS requests in turn.
# Ir per request = (Ir of the kind's window - idle Ir per second * window seconds) / N.
# Every window's profile stays in bench/results/callgrind.out.K for callgrind_annotate.
set -euo pipefail
# shellcheck source=bench/run.sh
source "$(dirname "${BASH_SOURCE[0]}")/run.sh"

KINDS=(healthz groups_page thread_list thread_page thread_json reply)
if [ -n "${BENCH_CG_KINDS:-}" ]; then read -r -a KINDS <<<"$BENCH_CG_KINDS"; fi

# drive_requests KIND N: sends N requests of KIND to $BASE one after another on one
# keep-alive connection; prints {"kind","n","errors","codes","elapsed_ms"}.
drive_requests() {
  timeout 300 node - "$BASE" "$SCRATCH/sessions.json" "$1" "$2" <<'JS'
const fs = require('fs');
const [base, sessionsPath, kind, nArg] = process.argv.slice(2);
const s = JSON.parse(fs.readFileSync(sessionsPath, 'utf8'));
const n = Number(nArg);
const auth = (token, extra = {}) => ({ authorization: 'Bearer ' + token, ...extra });
function request(i) {
  const read = s.read[i % s.read.length];
  const reply = s.reply[i % s.reply.length];
  switch (kind) {
    case 'healthz': return ['/healthz', {}];
    case 'groups_page': return ['/', {}];
    case 'thread_list': return [`/groups/${s.list_group}`, { headers: auth(s.tokens[i % s.tokens.length]) }];
    case 'thread_page': return [`/threads/${read[1]}`, { headers: auth(read[0]) }];
    case 'thread_json': return [`/api/v1/threads/${read[1]}`, { headers: auth(read[0]) }];
    case 'reply': return [`/api/v1/threads/${reply[1]}/posts`, { method: 'POST',
      headers: auth(reply[0], { 'content-type': 'application/json' }),
      body: JSON.stringify({ body: `Callgrind reply ${i}: we track this **monthly** and share the [dashboard](https://example.org/d/${i}).` }) }];
  }
  throw new Error('unknown kind ' + kind);
}
(async () => {
  const codes = {};
  let errors = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const [path, init] = request(i);
    const r = await fetch(base + path, { redirect: 'manual', ...init });
    await r.arrayBuffer();
    if (r.status < 200 || r.status > 299) { errors++; codes[r.status] = (codes[r.status] || 0) + 1; }
  }
  const elapsed_ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(JSON.stringify({ kind, n, errors, codes, elapsed_ms }));
})().catch((e) => { console.error(e); process.exit(1); });
JS
}

# dump LABEL: closes the current measurement window; prints the dump file's name.
dump() {
  local msg
  msg="$(timeout 60 callgrind_control --dump="$1" "$SERVER_PID" 2>&1)" || die "callgrind_control: $msg"
  local f
  for _ in $(seq 1 100); do
    f="$(grep -l -x "desc: Trigger: dump $1" "$RESULTS"/callgrind.out.* 2>/dev/null | head -n 1 || true)"
    if [ -n "$f" ] && grep -q '^totals:' "$f"; then echo "$f"; return 0; fi
    sleep 0.1
  done
  die "callgrind wrote no dump for '$1'"
}

totals() { awk '/^totals:/ { print $2; exit }' "$1"; }

cg_main() {
  need_tool valgrind valgrind
  need_tool callgrind_control valgrind
  need_tool curl curl
  need_tool node nodejs
  build_targets roundtable

  make_scratch
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  local src data
  if [ -n "${BENCH_DATA:-}" ]; then
    src="$(data_dir)"
    data="$(copy_data "$src")"
  elif [ -f "$BENCH_DIR/data/roundtable.db" ] && [ -f "$BENCH_DIR/data/bench-info.json" ]; then
    src="$BENCH_DIR/data"
    data="$(copy_data "$src")"
  else
    src="seed-demo"
    data="$SCRATCH/data"
    log "no BENCH_DATA and no bench/data: making a small seed-demo data set"
    make_demo_data "$data"
  fi
  log "data: $src (measured on a scratch copy)"

  start_server "$data" 1 30
  prepare_sessions "$data/bench-info.json" "$SCRATCH"
  stop_server

  local n="${BENCH_CG_REQUESTS:-50}" idle_s="${BENCH_CG_IDLE:-2}"
  mkdir -p "$RESULTS"
  rm -f "$RESULTS"/callgrind.out "$RESULTS"/callgrind.out.*
  log "starting the server under callgrind"
  # Uncompressed names: every dump file must stand alone for callgrind_annotate.
  start_server "$data" 1 60 valgrind --tool=callgrind --compress-strings=no \
    --callgrind-out-file="$RESULTS/callgrind.out"
  local ready_ms="$READY_MS"
  log "ready under callgrind in ${ready_ms} ms"

  local windows="$SCRATCH/windows.jsonl" f t
  : >"$windows"
  f="$(dump startup)"
  printf '{"kind":"startup","file":"%s","ir":%s}\n' "$f" "$(totals "$f")" >>"$windows"
  # Warm-up: a few requests of every kind, so one-time work (first template renders,
  # prepared statements, caches) lands here and not in the first kind measured.
  local kind drive warm="${BENCH_CG_WARMUP:-3}"
  if [ "$warm" -gt 0 ]; then
    for kind in "${KINDS[@]}"; do drive_requests "$kind" "$warm" >/dev/null || die "warm-up failed"; done
  fi
  f="$(dump warmup)"
  printf '{"kind":"warmup","file":"%s","ir":%s}\n' "$f" "$(totals "$f")" >>"$windows"
  sleep "$idle_s"
  f="$(dump idle)"
  printf '{"kind":"idle","file":"%s","ir":%s,"elapsed_ms":%s}\n' "$f" "$(totals "$f")" "$((idle_s * 1000))" >>"$windows"
  for kind in "${KINDS[@]}"; do
    log "$n x $kind"
    drive="$(drive_requests "$kind" "$n")" || die "sending $kind requests failed"
    f="$(dump "$kind")"
    t="$(totals "$f")"
    printf '{"kind":"%s","file":"%s","ir":%s,"drive":%s}\n' "$kind" "$f" "$t" "$drive" >>"$windows"
  done
  stop_server

  node - "$windows" "$RESULTS/callgrind.json" "$n" "$src" "$ready_ms" "$ROOT" <<'JS'
const fs = require('fs');
const path = require('path');
const [inPath, outPath, nArg, dataDir, readyMs, root] = process.argv.slice(2);
const n = Number(nArg);
const w = fs.readFileSync(inPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const idle = w.find((x) => x.kind === 'idle');
const idlePerMs = idle.ir / idle.elapsed_ms;
const startup = w.find((x) => x.kind === 'startup');
const kinds = w.filter((x) => x.drive).map((x) => {
  const baseline = idlePerMs * x.drive.elapsed_ms;
  return { name: x.kind, requests: n, errors: x.drive.errors, status_codes: x.drive.codes,
    ir_per_request: Math.round((x.ir - baseline) / n), ir_window: x.ir,
    idle_baseline_ir: Math.round(baseline), window_ms: Math.round(x.drive.elapsed_ms),
    profile: path.relative(root, x.file) };
});
const hz = kinds.find((k) => k.name === 'healthz')?.ir_per_request || 0;
for (const k of kinds) k.ratio_to_healthz = hz ? Math.round((k.ir_per_request / hz) * 100) / 100 : null;
const out = { generated_at: new Date().toISOString(), data: path.relative(root, dataDir), server_threads: 1,
  requests_per_kind: n, ready_ms_under_callgrind: Number(readyMs), startup_ir: startup.ir,
  idle_ir_per_second: Math.round(idlePerMs * 1000), kinds };
fs.writeFileSync(outPath, JSON.stringify(out, null, 2) + '\n');
const pad = (v, k) => String(v).padStart(k);
console.log(`${'kind'.padEnd(12)} ${pad('Ir/request', 12)} ${pad('x healthz', 9)} ${pad('errors', 6)}  profile`);
for (const k of kinds) {
  console.log(`${k.name.padEnd(12)} ${pad(k.ir_per_request.toLocaleString('en-US'), 12)} ` +
    `${pad(k.ratio_to_healthz === null ? "-" : k.ratio_to_healthz.toFixed(2), 9)} ${pad(k.errors, 6)}  ${k.profile}`);
}
console.log(`startup (exec to ready) ${startup.ir.toLocaleString('en-US')} Ir; ` +
  `idle ${out.idle_ir_per_second.toLocaleString('en-US')} Ir/s; ${n} requests per kind`);
for (const k of kinds.filter((k) => k.errors > 0)) {
  console.log(`warning: ${k.name} had ${k.errors} non-2xx responses ${JSON.stringify(k.status_codes)}`);
}
JS
  log "wrote bench/results/callgrind.json; per-kind profiles: callgrind_annotate --threshold=100 bench/results/callgrind.out.K"
}

cg_main "$@"
