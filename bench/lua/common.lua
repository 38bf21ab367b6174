-- Shared by every scenario script (loaded with dofile). It
--   * loads the per-run data bench/run.sh generates (sessions.lua: bench_tokens,
--     bench_read, bench_reply) from the file named by BENCH_LUA_DATA,
--   * counts every response whose status is not 2xx (wrk itself only counts >= 400),
--   * prints one machine-readable line at the end:
--     RESULT {"requests":..,"duration_us":..,"errors":{..},"non_2xx":..,"codes":{..},"p50_us":..,...}
local data = os.getenv("BENCH_LUA_DATA")
if data and data ~= "" then dofile(data) end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- Per-thread state, read back in done() with thread:get().
non_2xx = 0
codes = {}

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
    local k = tostring(status)
    codes[k] = (codes[k] or 0) + 1
  end
end

-- Reproducible request mix: every run picks the same sequence of (member, thread) pairs.
local thread_count = 0
function seed_random()
  thread_count = thread_count + 1
  math.randomseed(tonumber(os.getenv("BENCH_LUA_SEED") or "42") + thread_count)
end

function pick(list)
  return list[math.random(#list)]
end

function bearer(token, extra)
  local h = { ["Authorization"] = "Bearer " .. token }
  for k, v in pairs(extra or {}) do h[k] = v end
  return h
end

function require_list(list, name)
  if list == nil or #list == 0 then
    error("bench: " .. name .. " is empty or missing (is BENCH_LUA_DATA set?)")
  end
end

function done(summary, latency, requests)
  local bad, all_codes = 0, {}
  for _, t in ipairs(threads) do
    bad = bad + (t:get("non_2xx") or 0)
    for k, v in pairs(t:get("codes") or {}) do all_codes[k] = (all_codes[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(all_codes) do parts[#parts + 1] = string.format('"%s":%d', k, v) end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"non_2xx":%d,"codes":{%s},' ..
    '"p50_us":%.0f,"p90_us":%.0f,"p99_us":%.0f,"max_us":%.0f,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    bad, table.concat(parts, ","),
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
