-- GET <url path><thread id> for a random (member, thread) pair from bench_read,
-- signed in as that member with a bearer token: /threads/ gives the HTML page,
-- /api/v1/threads/ the JSON.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local reqs = {}

function init(args)
  seed_random()
  require_list(bench_read, "bench_read")
  local extra = nil
  if wrk.path:sub(1, 5) == "/api/" then extra = { ["Accept"] = "application/json" } end
  for i, p in ipairs(bench_read) do
    reqs[i] = wrk.format("GET", wrk.path .. p[2], bearer(p[1], extra))
  end
end

function request()
  return pick(reqs)
end
