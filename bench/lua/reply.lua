-- POST /api/v1/threads/{id}/posts as a random (member, thread) pair from bench_reply
-- (pairs where the member may reply), with a short Markdown body that differs per request.
-- The URL's path is ignored.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local n = 0

function init(args)
  seed_random()
  require_list(bench_reply, "bench_reply")
end

function request()
  n = n + 1
  local p = pick(bench_reply)
  local body = string.format(
    '{"body":"Load-test reply %d: we track this **monthly** and share the [dashboard](https://example.org/d/%d)."}',
    n, n)
  return wrk.format("POST", "/api/v1/threads/" .. p[2] .. "/posts",
    bearer(p[1], { ["Content-Type"] = "application/json" }), body)
end
