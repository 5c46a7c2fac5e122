-- wrk script for the scale benchmark: what a seller's store receives over the years. Mostly new
-- orders (order_created), with refund requests and refunds of earlier orders (often before the
-- order_created of that id has arrived on another thread) and some repeats of a delivery.
-- Order ids are RUN..THREAD..COUNTER, amounts and dates follow from the id, so a refund carries
-- its order's amount. Writes acknowledged ids and latencies like Benchmarks/webhooks/ingest.lua.
local secret = os.getenv("BENCH_SECRET")
local path = "/webhooks/thingiverse/" .. secret
local headers = { ["Content-Type"] = "application/json" }
local threads = {}

function setup(thread)
  thread:set("thread_number", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  acked = 0
  run_prefix = os.getenv("BENCH_RUN") or "1"
  math.randomseed(tonumber(run_prefix) * 100 + thread_number)
end

local function body(event, n)
  local order_id = run_prefix .. string.format("%02d", thread_number) .. string.format("%09d", n)
  local cents = (n * 7919) % 50000 + 100
  local day = n % 365
  local month = 1 + math.floor(day / 31) % 12
  local date = string.format("2025-%02d-%02d %02d:%02d:00", month, 1 + day % 28, n % 24, n % 60)
  return '{"event":"' .. event .. '","order":{"id":"' .. order_id .. '","thing_id":"' .. (n % 5000 + 1) ..
    '","amount":"' .. string.format("%d.%02d", math.floor(cents / 100), cents % 100) ..
    '","add_date":"' .. date .. '","modified_date":"' .. date .. '","charges":[],"fees":"0.54",' ..
    '"validated_shipping_address":"123 Some St., Somecity, Somestate, 12345","is_shipped":"true","status":"status","note":"a note"}}'
end

function request()
  counter = counter + 1
  local roll = math.random(100)
  local event, n = "order_created", counter
  if roll <= 4 and counter > 10 then
    event, n = "order_refunded", math.random(counter - 1)
  elseif roll <= 10 and counter > 10 then
    event, n = "refund_requested", math.random(counter - 1)
  elseif roll <= 12 and counter > 10 then
    n = math.random(counter - 1) -- a repeat of an earlier delivery
  end
  return wrk.format("POST", path, headers, body(event, n))
end

function response(status, headers, body)
  if status >= 200 and status < 300 then acked = acked + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("acked") end
  local report = io.open(os.getenv("BENCH_REPORT"), "w")
  report:write(string.format("acked %d\nduration_us %d\n", total, summary.duration))
  report:write(string.format("p50_us %d\np99_us %d\n", latency:percentile(50), latency:percentile(99)))
  report:close()
end
