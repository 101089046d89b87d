-- wrk script for `manage.py loadtest`: cycles through the request paths in
-- the file named by LOADTEST_PATHS and counts statuses per class.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("LOADTEST_PATHS")) do
    table.insert(paths, line)
  end
  i = math.random(#paths)
  s5xx, s4xx, s429 = 0, 0, 0
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function response(status, headers, body)
  if status >= 500 then
    s5xx = s5xx + 1
  elseif status == 429 then
    s429 = s429 + 1
  elseif status >= 400 then
    s4xx = s4xx + 1
  end
end

function done(summary, latency, requests)
  local t5, t4, t429 = 0, 0, 0
  for _, thread in ipairs(threads) do
    t5 = t5 + thread:get("s5xx")
    t4 = t4 + thread:get("s4xx")
    t429 = t429 + thread:get("s429")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50=%d p95=%d p99=%d s5xx=%d s4xx=%d s429=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), t5, t4, t429, e.connect + e.read + e.write + e.timeout))
end
