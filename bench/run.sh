#!/usr/bin/env bash
# `make bench`: load-tests build/roundtable with wrk on the generated data set and
# writes bench/results/latest.json. See bench/README.md.
#
# Environment:
#   BENCH_DATA=DIR       benchmark this data folder (must hold roundtable.db and
#                        bench-info.json) instead of generating bench/data
#   BENCH_SCALE=F        --scale for bench_generate (default 1)
#   BENCH_SEED=N         --seed for bench_generate (default: the generator's)
#   BENCH_DURATION=10s   wrk -d per scenario
#   BENCH_MEMBERS=8      how many sampled members to sign in
#   BENCH_KEEP=1         keep the scratch copy of the data and the raw wrk output
#   BENCH_ONLY=a,b       run only these scenarios (healthz always runs: the ratios need it)
#   BENCH_OUT=FILE       write the results here instead of bench/results/latest.json
#   BENCH_RESULTS=DIR    results folder (default bench/results; callgrind profiles go here)
#
# The server always runs on a scratch copy of the data (under $BUILD/bench-run), so the
# replies posted by the write scenarios never accumulate in bench/data between runs.
#
# bench/callgrind.sh sources this file for its helpers; main() runs only when executed.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
cd "$ROOT"

BUILD="${BUILD:-build}"
JOBS="${JOBS:-2}"
BIN="$BUILD/roundtable"
GEN="$BUILD/bench_generate"
RESULTS="${BENCH_RESULTS:-$BENCH_DIR/results}"
case "$BUILD" in /*) BUILD_ABS="$BUILD" ;; *) BUILD_ABS="$ROOT/$BUILD" ;; esac
DEMO_PASSWORD="roundtable-demo"

SERVER_PID=""
SERVER_LOG=""
BASE=""
READY_MS=""
SCRATCH=""

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# need_tool COMMAND DEBIAN_PACKAGE: installs the package as root, else prints the line.
need_tool() {
  command -v "$1" >/dev/null 2>&1 && return 0
  local line="apt-get install -y --no-install-recommends $2"
  if [ "$(id -u)" -ne 0 ]; then
    die "'$1' is missing. Run as root:  apt-get update && $line"
  fi
  log "installing $2"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 "$2" >/dev/null
  command -v "$1" >/dev/null 2>&1 || die "installing $2 did not provide '$1'"
}

# build_targets TARGET...: configures $BUILD if needed and builds the targets.
build_targets() {
  [ -f "$BUILD/Makefile" ] || cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD" -j"$JOBS" --target "$@"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

now_ns() { date +%s%N; }

# duration_seconds 10s|2m|500ms|7 -> whole seconds (rounded up), for `timeout` bounds.
duration_seconds() {
  local d="$1"
  case "$d" in
    *ms) echo $(( (${d%ms} + 999) / 1000 )) ;;
    *s) echo "${d%s}" ;;
    *m) echo $(( ${d%m} * 60 )) ;;
    *h) echo $(( ${d%h} * 3600 )) ;;
    *) echo "$d" ;;
  esac
}

# make_scratch: a fresh work folder under $BUILD (same disk as the repo, gitignored).
make_scratch() {
  mkdir -p "$BUILD_ABS/bench-run"
  SCRATCH="$(mktemp -d "$BUILD_ABS/bench-run/run.XXXXXX")"
}

cleanup() {
  local rc=$?
  stop_server || true
  if [ -n "$SCRATCH" ] && [ -d "$SCRATCH" ]; then
    if [ "${BENCH_KEEP:-0}" = 1 ] || [ "$rc" -ne 0 ]; then
      log "scratch folder kept: $SCRATCH"
    else
      rm -rf "$SCRATCH"
    fi
  fi
  return "$rc"
}

# start_server DATA_DIR THREADS READY_TIMEOUT_S [WRAPPER...]
# Starts `roundtable serve` (optionally under WRAPPER, e.g. valgrind) on a free port,
# polls /readyz every 5 ms from the moment of exec, and sets SERVER_PID, BASE, READY_MS.
start_server() {
  local data="$1" threads="$2" limit_s="$3"
  shift 3
  local port
  port="$(free_port)"
  BASE="http://127.0.0.1:$port"
  SERVER_LOG="${SCRATCH:-/tmp}/server.$port.log"
  local t0
  t0="$(now_ns)"
  "$@" "$BIN" serve --data "$data" --listen "127.0.0.1:$port" --base-url "$BASE" \
    --no-access-log --threads "$threads" >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  local deadline=$(( t0 + limit_s * 1000000000 ))
  while :; do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/readyz" 2>/dev/null)" = 200 ]; then
      READY_MS=$(( ($(now_ns) - t0) / 1000000 ))
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      tail -n 30 "$SERVER_LOG" >&2 || true
      SERVER_PID=""
      die "the server exited before it was ready"
    fi
    if [ "$(now_ns)" -gt "$deadline" ]; then
      tail -n 30 "$SERVER_LOG" >&2 || true
      die "the server was not ready within ${limit_s}s"
    fi
    sleep 0.005
  done
}

# stop_server: SIGTERM, then SIGKILL after 20 s.
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  local pid="$SERVER_PID"
  SERVER_PID=""
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  log "server $pid ignored SIGTERM for 20 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# proc_kb PID FIELD -> the value in kB of e.g. VmHWM from /proc/PID/status.
proc_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null || true; }

# reset_hwm PID: resets the peak-RSS counter (Linux 4.0+, needs permission). Best effort.
reset_hwm() { { echo 5 >"/proc/$1/clear_refs"; } 2>/dev/null || true; }

# make_demo_data DIR: a small stand-in for bench_generate's output. seed-demo plus
# 6 threads of 20 posts each in data-measurement and social-work, written through the API,
# and a bench-info.json in the generator's format. Used by bench-callgrind when no
# generated data exists, and handy for developing the harness.
make_demo_data() {
  local dir="$1"
  [ ! -e "$dir/roundtable.db" ] || die "$dir already holds a database"
  mkdir -p "$dir"
  "$BIN" seed-demo --data "$dir" >/dev/null 2>&1 || die "seed-demo failed"
  start_server "$dir" 2 30
  node --input-type=module - "$BASE" "$dir/bench-info.json" "$DEMO_PASSWORD" <<'JS'
import { writeFileSync } from 'node:fs';
const [base, out, password] = process.argv.slice(2);
async function api(method, path, token, body) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = 'Bearer ' + token;
  const r = await fetch(base + path, { method, headers, body: body && JSON.stringify(body) });
  const json = await r.json().catch(() => null);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}
const emails = ['active', 'grace', 'liaison', 'admin'].map((w) => `${w}@demo.roundtable.test`);
const signIn = async (email) => (await api('POST', '/api/v1/session', null, { email, password })).token;
const author = await signIn(emails[0]);
const groups = ['data-measurement', 'social-work'];
const threads = [];
let posts = 0;
for (const g of groups) {
  await api('POST', `/api/v1/groups/${g}/membership`, author);
  for (let t = 1; t <= 3; t++) {
    const created = await api('POST', `/api/v1/groups/${g}/threads`, author,
      { kind: 'question', title: `Bench question ${t} in ${g}`,
        body: `How do you measure **thing ${t}**? A paragraph of text so the page has a body.` });
    const id = created.thread.id;
    for (let p = 1; p < 20; p++) {
      await api('POST', `/api/v1/threads/${id}/posts`, author,
        { body: `Reply ${p}: we count it monthly and share a [dashboard](https://example.org/${p}).` });
    }
    threads.push(id);
    posts += 20;
  }
}
writeFileSync(out, JSON.stringify({ threads_with_20_posts: threads, groups,
  member_emails_sample: emails, password, counts: { threads: threads.length, posts } }, null, 1) + '\n');
JS
  stop_server
}

# prepare_sessions BENCH_INFO_JSON OUT_DIR
# Against the running server ($BASE): signs in up to $BENCH_MEMBERS sampled members
# (falls back to the demo account active@demo.roundtable.test), joins each to the groups
# of the bench threads (bench-info thread_groups, else each thread's group as the API
# reports it), then checks each (member, thread) pair over the API for up to 60 threads. Writes OUT_DIR/sessions.json and OUT_DIR/sessions.lua:
#   bench_tokens  = { token, ... }                 every signed-in member
#   bench_read    = { {token, thread_id}, ... }    pairs where GET /api/v1/threads/{id} is 200
#   bench_reply   = { {token, thread_id}, ... }    pairs where viewer.can_reply is true
#   bench_list_group = "data-measurement"          the group for thread_list
prepare_sessions() {
  node --input-type=module - "$BASE" "$1" "$2" "${BENCH_MEMBERS:-8}" "$DEMO_PASSWORD" <<'JS'
import { readFileSync, writeFileSync } from 'node:fs';
const [base, infoPath, outDir, maxMembers, demoPassword] = process.argv.slice(2);
const info = JSON.parse(readFileSync(infoPath, 'utf8'));
async function api(method, path, token, body) {
  const headers = {};
  if (token) headers.authorization = 'Bearer ' + token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await r.json().catch(() => null);
  return { status: r.status, json };
}
const ok = (s) => s >= 200 && s < 300;
// An even spread of at most n items, so big lists are sampled across their whole range.
const spread = (a, n) => a.length <= n ? a.slice() : Array.from({ length: n }, (_, i) => a[Math.floor(i * a.length / n)]);

const members = [];
for (const email of (info.member_emails_sample || []).slice(0, Number(maxMembers))) {
  const r = await api('POST', '/api/v1/session', null, { email, password: info.password });
  if (ok(r.status) && r.json?.token) members.push({ email, token: r.json.token });
  else console.error(`[bench] could not sign in ${email}: ${r.status} ${r.json?.error?.code ?? ''}`);
}
if (members.length === 0) {
  const email = 'active@demo.roundtable.test';
  const r = await api('POST', '/api/v1/session', null, { email, password: demoPassword });
  if (!ok(r.status)) throw new Error('no sampled member and no demo account could sign in');
  console.error(`[bench] using the demo account ${email}`);
  members.push({ email, token: r.json.token });
}

const ids = spread(info.threads_with_20_posts || [], 60);
if (ids.length === 0) throw new Error('bench-info.json lists no threads_with_20_posts');
// The groups to join: those of the chosen threads. bench_generate names them
// (thread_groups); otherwise ask for each thread's group, as anyone who can see it.
let slugs = info.thread_groups || [];
if (slugs.length === 0) {
  const found = new Set();
  for (const id of ids) {
    for (const t of [null, ...members.map((m) => m.token)]) {
      const r = await api('GET', `/api/v1/threads/${id}`, t);
      if (r.status === 200 && r.json?.thread?.group) { found.add(r.json.thread.group); break; }
    }
  }
  slugs = [...found];
}
if (slugs.length === 0) slugs = info.groups || [];
await Promise.all(members.map(async (m) => {
  for (const slug of slugs) {
    const r = await api('POST', `/api/v1/groups/${encodeURIComponent(slug)}/membership`, m.token);
    if (!ok(r.status) && r.status !== 409 && process.env.BENCH_VERBOSE) {
      console.error(`[bench] ${m.email} cannot join ${slug}: ${r.status} ${r.json?.error?.code ?? ''}`);
    }
  }
}));

const read = [], reply = [];
for (const id of ids) {
  await Promise.all(members.map(async (m) => {
    const r = await api('GET', `/api/v1/threads/${id}`, m.token);
    if (r.status !== 200) return;
    read.push([m.token, id]);
    if (r.json?.viewer?.can_reply) reply.push([m.token, id]);
  }));
}
if (read.length === 0) throw new Error('no sampled member can read any of the bench threads');
if (reply.length === 0) throw new Error('no sampled member may reply in any of the bench threads');
const listGroup = [...slugs, ...(info.groups || [])].includes('data-measurement') ? 'data-measurement' : slugs[0];
const out = { members: members.map((m) => m.email), tokens: members.map((m) => m.token),
  read, reply, list_group: listGroup };
writeFileSync(`${outDir}/sessions.json`, JSON.stringify(out) + '\n');
const lua = (v) => Array.isArray(v) ? '{' + v.map(lua).join(',') + '}' : JSON.stringify(v);
writeFileSync(`${outDir}/sessions.lua`, [
  '-- generated by bench/run.sh for one run; do not edit',
  `bench_tokens = ${lua(out.tokens)}`,
  `bench_read = ${lua(read)}`,
  `bench_reply = ${lua(reply)}`,
  `bench_list_group = ${lua(listGroup)}`, ''].join('\n'));
console.error(`[bench] ${members.length} members signed in; ${read.length} readable and ` +
  `${reply.length} repliable (member, thread) pairs over ${ids.length} threads`);
JS
}

# run_wrk NAME CONNECTIONS LUA_SCRIPT PATH: one scenario; appends its result to $SCRATCH/results.jsonl.
run_wrk() {
  local name="$1" conns="$2" script="$3" path="$4"
  if [ -n "${BENCH_ONLY:-}" ] && [ "$name" != healthz ] && [[ ",$BENCH_ONLY," != *",$name,"* ]]; then
    return 0
  fi
  local dur="${BENCH_DURATION:-10s}"
  local bound=$(( $(duration_seconds "$dur") + 30 ))
  reset_hwm "$SERVER_PID"
  log "scenario $name: wrk -t1 -c$conns -d$dur $path"
  local out="$SCRATCH/wrk.$name.txt"
  if ! BENCH_LUA_DATA="$SCRATCH/sessions.lua" BENCH_LUA_DIR="$BENCH_DIR/lua" \
      timeout --signal=INT --kill-after=10 "$bound" \
      wrk -t1 -c"$conns" -d"$dur" --latency --timeout 2s -s "$BENCH_DIR/lua/$script" "$BASE$path" \
      >"$out" 2>&1; then
    cat "$out" >&2
    die "wrk failed in scenario $name"
  fi
  local result
  result="$(sed -n 's/^RESULT //p' "$out" | tail -n 1)"
  [ -n "$result" ] || { cat "$out" >&2; die "no RESULT line from wrk in scenario $name"; }
  local hwm
  hwm="$(proc_kb "$SERVER_PID" VmHWM)"
  kill -0 "$SERVER_PID" 2>/dev/null || die "the server died during scenario $name"
  printf '{"name":"%s","connections":%d,"rss_kb":%s,"wrk":%s}\n' \
    "$name" "$conns" "${hwm:-0}" "$result" >>"$SCRATCH/results.jsonl"
}

# data_dir: the data folder to benchmark; generates bench/data when needed.
data_dir() {
  if [ -n "${BENCH_DATA:-}" ]; then
    [ -f "$BENCH_DATA/roundtable.db" ] || die "BENCH_DATA=$BENCH_DATA holds no roundtable.db"
    [ -f "$BENCH_DATA/bench-info.json" ] || die "BENCH_DATA=$BENCH_DATA holds no bench-info.json"
    echo "$BENCH_DATA"
    return
  fi
  # "threads=20": bench-info names threads of exactly 20 posts (older data sets named any
  # thread of 20 or more, whose page shows 30), so older data is regenerated.
  local dir="$BENCH_DIR/data" want="scale=${BENCH_SCALE:-1} seed=${BENCH_SEED:-default} threads=20"
  if [ -f "$dir/bench-info.json" ] && [ -f "$dir/roundtable.db" ]; then
    local have
    have="$(cat "$dir/.generated-with" 2>/dev/null || echo "scale=1 seed=default")"
    if [ "$have" = "$want" ]; then echo "$dir"; return; fi
    log "bench/data was generated with '$have'; regenerating with '$want'"
  fi
  # Generated next to the scratch runs (gitignored, same disk), moved into place when complete.
  local tmp="$BUILD_ABS/bench-run/data.partial"
  mkdir -p "$BUILD_ABS/bench-run"
  rm -rf "$tmp"
  local args=(--data "$tmp" --scale "${BENCH_SCALE:-1}")
  [ -z "${BENCH_SEED:-}" ] || args+=(--seed "$BENCH_SEED")
  log "generating bench/data ($want)"
  local t0
  t0="$(now_ns)"
  "$GEN" "${args[@]}" >&2 || die "bench_generate failed"
  [ -f "$tmp/bench-info.json" ] || die "bench_generate wrote no bench-info.json"
  echo "$want" >"$tmp/.generated-with"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  log "generated in $(( ($(now_ns) - t0) / 1000000 )) ms"
  echo "$dir"
}

# copy_data SRC -> prints the scratch copy (the database files and whatever else is there).
copy_data() {
  mkdir -p "$SCRATCH/data"
  cp -a --reflink=auto "$1/." "$SCRATCH/data/"
  echo "$SCRATCH/data"
}

main() {
  need_tool wrk wrk
  need_tool curl curl
  need_tool node nodejs
  if [ -n "${BENCH_DATA:-}" ]; then build_targets roundtable; else build_targets roundtable bench_generate; fi

  local src
  src="$(data_dir)"
  make_scratch
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  local data
  data="$(copy_data "$src")"
  log "data: $src (benchmarked on a scratch copy)"

  # Sessions are made on a first server so that sign-in and joins do not count in its RSS.
  start_server "$data" 2 30
  prepare_sessions "$data/bench-info.json" "$SCRATCH"
  stop_server
  local list_group
  list_group="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1])).list_group' "$SCRATCH/sessions.json")"

  start_server "$data" 2 30
  local ready_ms="$READY_MS" ready_rss
  ready_rss="$(proc_kb "$SERVER_PID" VmRSS)"
  log "ready in ${ready_ms} ms (pid $SERVER_PID, $BASE)"

  : >"$SCRATCH/results.jsonl"
  run_wrk healthz 64 plain.lua /healthz
  run_wrk groups_page 64 plain.lua /
  BENCH_AUTH=1 run_wrk thread_list 64 plain.lua "/groups/$list_group"
  run_wrk thread_page 64 thread_get.lua /threads/
  run_wrk thread_json 64 thread_get.lua /api/v1/threads/
  run_wrk reply_1 1 reply.lua /api/v1/threads/
  run_wrk reply_32 32 reply.lua /api/v1/threads/
  stop_server

  mkdir -p "$RESULTS"
  node - "$SCRATCH/results.jsonl" "${BENCH_OUT:-$RESULTS/latest.json}" "$ready_ms" "${ready_rss:-0}" "$src" \
    "${BENCH_DURATION:-10s}" <<'JS'
const fs = require('fs');
const [inPath, outPath, readyMs, readyRssKb, dataDir, duration] = process.argv.slice(2);
const rows = fs.readFileSync(inPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const mb = (kb) => Math.round(kb / 102.4) / 10;
const r1 = (x) => Math.round(x * 10) / 10;
const r2 = (x) => Math.round(x * 100) / 100;
const scenarios = rows.map(({ name, connections, rss_kb, wrk }) => {
  const e = wrk.errors;
  // 4xx/5xx (and unexpected 3xx) responses count as errors, as do socket errors and timeouts.
  const errors = e.connect + e.read + e.write + e.timeout + Math.max(wrk.non_2xx, e.status);
  return { name, connections, rps: r1(wrk.requests / (wrk.duration_us / 1e6)),
    p50_ms: r2(wrk.p50_us / 1000), p90_ms: r2(wrk.p90_us / 1000), p99_ms: r2(wrk.p99_us / 1000),
    max_ms: r2(wrk.max_us / 1000), requests: wrk.requests, errors, error_detail: { ...e, non_2xx: wrk.non_2xx },
    status_codes: wrk.codes, rss_mb: mb(rss_kb) };
});
const base = scenarios.find((s) => s.name === 'healthz')?.rps || 0;
for (const s of scenarios) s.ratio_to_healthz = base ? Math.round((s.rps / base) * 1000) / 1000 : null;
const rss = Math.max(...scenarios.map((s) => s.rss_mb));
// The data folder relative to the checkout, so results read the same anywhere.
const out = { generated_at: new Date().toISOString(),
  data: require('path').relative(process.cwd(), dataDir) || '.', duration,
  wrk: 'wrk -t1 --latency --timeout 2s', server_threads: 2,
  ready_ms: Number(readyMs), rss_ready_mb: mb(Number(readyRssKb)), rss_mb: rss,
  scenarios: scenarios.map((s) => ({ name: s.name, rps: s.rps, p50_ms: s.p50_ms, p99_ms: s.p99_ms,
    errors: s.errors, ratio_to_healthz: s.ratio_to_healthz, rss_mb: s.rss_mb, connections: s.connections,
    p90_ms: s.p90_ms, max_ms: s.max_ms, requests: s.requests, error_detail: s.error_detail,
    status_codes: s.status_codes })) };
fs.writeFileSync(outPath, JSON.stringify(out, null, 2) + '\n');
const pad = (v, n) => String(v).padStart(n);
console.log(`${'name'.padEnd(12)} ${pad('conns', 5)} ${pad('rps', 9)} ${pad('p50_ms', 8)} ${pad('p99_ms', 8)} ` +
  `${pad('errors', 7)} ${pad('ratio', 6)} ${pad('rss_mb', 7)}`);
for (const s of out.scenarios) {
  console.log(`${s.name.padEnd(12)} ${pad(s.connections, 5)} ${pad(s.rps.toFixed(1), 9)} ${pad(s.p50_ms.toFixed(2), 8)} ` +
    `${pad(s.p99_ms.toFixed(2), 8)} ${pad(s.errors, 7)} ${pad(s.ratio_to_healthz.toFixed(3), 6)} ${pad(s.rss_mb.toFixed(1), 7)}`);
}
console.log(`ready_ms ${out.ready_ms}   rss_mb (peak) ${out.rss_mb}   rss at ready ${out.rss_ready_mb} MB`);
for (const s of out.scenarios.filter((s) => s.errors > 0)) {
  console.log(`warning: ${s.name} had ${s.errors} errors: ${JSON.stringify(s.error_detail)} ${JSON.stringify(s.status_codes)}`);
}
JS
  log "wrote bench/results/latest.json"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  if [ "${1:-}" = --make-demo-data ]; then
    # bench/run.sh --make-demo-data DIR: the small stand-in data set (see make_demo_data).
    [ -n "${2:-}" ] || die "usage: bench/run.sh --make-demo-data DIR"
    build_targets roundtable
    trap 'stop_server' EXIT
    make_demo_data "$2"
    log "wrote $2 (use it with BENCH_DATA=$2)"
  else
    main "$@"
  fi
fi
