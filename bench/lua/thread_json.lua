-- GET /api/v1/threads/{id} for a random (member, thread) pair from bench_read,
-- signed in as that member with a bearer token. The URL's path is ignored.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local reqs = {}

function init(args)
  seed_random()
  require_list(bench_read, "bench_read")
  for i, p in ipairs(bench_read) do
    reqs[i] = wrk.format("GET", "/api/v1/threads/" .. p[2], bearer(p[1], { ["Accept"] = "application/json" }))
  end
end

function request()
  return pick(reqs)
end
