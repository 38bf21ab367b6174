-- GET of the URL given to wrk. With BENCH_AUTH=1 each request carries the bearer token
-- of a random signed-in member (bench_tokens); otherwise it is signed out.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

if os.getenv("BENCH_AUTH") == "1" then
  local reqs = {}

  function init(args)
    seed_random()
    require_list(bench_tokens, "bench_tokens")
    for i, token in ipairs(bench_tokens) do
      reqs[i] = wrk.format("GET", wrk.path, bearer(token))
    end
  end

  function request()
    return pick(reqs)
  end
end
