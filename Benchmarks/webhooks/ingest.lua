-- wrk script: POSTs distinct order_created deliveries and remembers the event id of every
-- 2xx answer, so the ingest script can check them against the database.
local secret = os.getenv("BENCH_SECRET")
local path = "/webhooks/thingiverse/" .. secret
local headers = { ["Content-Type"] = "application/json" }
local threads = {}
local counter = 0


function setup(thread)
  thread:set("thread_number", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  acked = {}
  status_counts = {}
  -- A per-run prefix keeps order ids distinct across runs on the same database too.
  run_prefix = os.getenv("BENCH_RUN") or "1"
end

function request()
  counter = counter + 1
  local order_id = run_prefix .. string.format("%02d", thread_number) .. string.format("%09d", counter)
  local body = '{"event":"order_created","order":{"id":"' .. order_id .. '","thing_id":"1234","amount":"14.53",' ..
    '"add_date":"2016-04-28 16:28:40","modified_date":"2016-04-29 08:03:38","charges":[],"fees":"0.54",' ..
    '"validated_shipping_address":"123 Some St., Somecity, Somestate, 12345","is_shipped":"true","status":"status","note":"a note"}}'
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  status_counts[status] = (status_counts[status] or 0) + 1
  if status >= 200 and status < 300 then
    local id = string.match(body, '"id":(%d+)')
    acked[#acked + 1] = id
  end
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("BENCH_ACKS"), "w")
  local total = 0
  local statuses = {}
  for _, thread in ipairs(threads) do
    for _, id in ipairs(thread:get("acked")) do
      out:write(id, "\n")
      total = total + 1
    end
    for status, count in pairs(thread:get("status_counts")) do
      statuses[status] = (statuses[status] or 0) + count
    end
  end
  out:close()
  local report = io.open(os.getenv("BENCH_REPORT"), "w")
  report:write(string.format("acked %d\n", total))
  report:write(string.format("duration_us %d\n", summary.duration))
  report:write(string.format("p50_us %d\n", latency:percentile(50)))
  report:write(string.format("p90_us %d\n", latency:percentile(90)))
  report:write(string.format("p99_us %d\n", latency:percentile(99)))
  report:write(string.format("max_us %d\n", latency.max))
  report:write(string.format("errors_connect %d\nerrors_read %d\nerrors_write %d\nerrors_timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  for status, count in pairs(statuses) do
    report:write(string.format("status_%d %d\n", status, count))
  end
  report:close()
end
