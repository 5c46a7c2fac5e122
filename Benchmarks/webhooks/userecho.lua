-- wrk script: POSTs distinct, pre-signed UserEcho hooks (from BENCH_BODIES, made by
-- userecho_bodies.py; each thread takes every Nth line) and counts 2xx answers per event id.
local path = "/webhooks/userecho/" .. os.getenv("BENCH_SECRET")
local threads = {}

function setup(thread)
  thread:set("thread_number", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  acked = {}
  status_counts = {}
  bodies = {}
  local count = #threads > 0 and #threads or tonumber(os.getenv("BENCH_THREADS") or "2")
  local n = 0
  for line in io.lines(os.getenv("BENCH_BODIES")) do
    n = n + 1
    if n % count == thread_number - 1 then
      local body, signature = string.match(line, "^(.*)\t(%x+)$")
      bodies[#bodies + 1] = { body, signature }
    end
  end
  next_body = 0
end

function request()
  next_body = next_body + 1
  local item = bodies[next_body]
  if item == nil then
    return wrk.format("GET", "/healthz")
  end
  local headers = { ["Content-Type"] = "application/json", ["X-UE-Signature"] = item[2] }
  return wrk.format("POST", path, headers, item[1])
end

function response(status, headers, body)
  status_counts[status] = (status_counts[status] or 0) + 1
  if status >= 200 and status < 300 then
    local id = string.match(body, '"id":(%d+)')
    if id then acked[#acked + 1] = id end
  end
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("BENCH_ACKS"), "w")
  local total = 0
  for _, thread in ipairs(threads) do
    for _, id in ipairs(thread:get("acked")) do
      out:write(id, "\n")
      total = total + 1
    end
  end
  out:close()
  local report = io.open(os.getenv("BENCH_REPORT"), "w")
  report:write(string.format("acked %d\nduration_us %d\np50_us %d\np99_us %d\n", total, summary.duration,
    latency:percentile(50), latency:percentile(99)))
  report:close()
end
