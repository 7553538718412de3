-- wrk script for bench/http_ingest.sh: POST /messages with ONE message per request, each with its own uuid.
--
-- The uuid is built from the run number, the wrk thread id and a per-thread counter, so it is unique within a
-- run and across runs with different BENCH_RUN values, and it is a valid (version 4, variant 10) UUID:
--     xxxxxxxx-rrrr-4RRR-vTTT-TTTTCCCCCCCC
--     x = the counter scrambled by xorshift (a bijection: spreads inserts over the primary key like random uuids)
--     r = random, RRR = run number, v = variant 8..b, TTT.. = thread id, C = counter
-- Every 202 answer's message_uuid (taken from the response body) is kept per thread; done() sums the counters
-- of all threads, prints one "BENCH key=value ..." line and writes the accepted uuids to BENCH_ACCEPTED_FILE.
--
-- Env: BENCH_RUN (1..4095, default 1), BENCH_ACCEPTED_FILE (default: not written), BENCH_KEY (an API key sent as
--      Authorization: Bearer; default: none).

local bit = require("bit")

wrk.method = "POST"
wrk.path = "/messages"
wrk.headers["Content-Type"] = "application/json"
if os.getenv("BENCH_KEY") and os.getenv("BENCH_KEY") ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
end

local threads = {}
local next_tid = 0

function setup(thread)
  next_tid = next_tid + 1
  thread:set("tid", next_tid)
  table.insert(threads, thread)
end

local WORDS = { "order", "shipment", "invoice", "payment", "sensor", "reading", "update", "status", "alert",
  "ready", "delayed", "confirmed", "cancelled", "temperature", "pressure", "battery", "level", "route",
  "gateway", "device", "patient", "sample", "report", "request", "reply", "ping", "heartbeat", "checkout" }
local TOPICS = { "orders", "payments", "shipments", "telemetry", "alerts", "chat", "presence", "billing",
  "inventory", "devices", "audit", "notifications", "support", "reports", "sessions", "greetings",
  "lab-results", "appointments", "pricing", "fleet" }
local TYPES = { "event", "event", "event", "chat", "chat", "alert", "command", "ack", "status" }
local PRIORITIES = { "normal", "normal", "normal", "high", "low" }

-- per-thread state; globals, because done() reads them with thread:get()
run, counter, sent, accepted, other_status, ok = 1, 0, 0, 0, 0, {}
local subjects, texts

-- 1000 subjects with a Zipf(0.8) skew, as bench/drain.sh generates: a table of 8192 draws to index at random
local function subject_table()
  local cum, total = {}, 0
  for rank = 1, 1000 do
    total = total + 1 / rank ^ 0.8
    cum[rank] = total
  end
  local out = {}
  for i = 1, 8192 do
    local x, lo, hi = math.random() * total, 1, 1000
    while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      if cum[mid] < x then lo = mid + 1 else hi = mid end
    end
    -- rank -> id through a fixed odd multiplier, so busy subjects are not all low numbers
    out[i] = "subject-" .. ((lo * 337) % 1000 + 1)
  end
  return out
end

function init(args)
  run = tonumber(os.getenv("BENCH_RUN") or "1") % 4096
  counter, sent, accepted, other_status, ok = 0, 0, 0, 0, {}
  math.randomseed(os.time() + tid * 7919 + run * 104729)
  subjects = subject_table()
  texts = {}
  for i = 1, 256 do
    local n, words = math.random(1, 3), {}
    for j = 1, n do words[j] = WORDS[math.random(#WORDS)] end
    texts[i] = table.concat(words, " ")
  end
end

local function scramble(x)
  x = bit.bxor(x, bit.lshift(x, 13))
  x = bit.bxor(x, bit.rshift(x, 17))
  x = bit.bxor(x, bit.lshift(x, 5))
  return x
end

local TEMPLATE = '{"message_uuid":"%s-%s-4%03x-%x%03x-%04x%08x","origin_ts":"%s.%03dZ","ack_ts":"%s.%03dZ",'
  .. '"message_data":{"text":"%s"},"source_subject_id":"%s","destination_subject_ids":[%s],'
  .. '"topic":"%s","message_type":"%s","message_metadata":{"priority":"%s"}}'

function request()
  counter = counter + 1
  sent = sent + 1
  local sender = subjects[math.random(8192)]
  local recipients = '"' .. subjects[math.random(8192)] .. '"'
  local r = math.random(100)
  if r > 80 then recipients = recipients .. ',"' .. subjects[math.random(8192)] .. '"' end
  if r > 95 then recipients = recipients .. ',"' .. subjects[math.random(8192)] .. '"' end
  local now = os.date("!%Y-%m-%dT%H:%M:%S")
  local ms = counter % 1000
  local body = string.format(TEMPLATE,
    bit.tohex(scramble(counter), 8), bit.tohex(math.random(0, 0xffff), 4), run,
    8 + math.random(0, 3), math.random(0, 0xfff), tid, counter,
    now, ms, now, ms,
    texts[math.random(256)], sender, recipients,
    TOPICS[math.random(#TOPICS)], TYPES[math.random(#TYPES)], PRIORITIES[math.random(#PRIORITIES)])
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status == 202 then
    accepted = accepted + 1
    ok[accepted] = string.match(body, '"message_uuid":"([%x%-]+)"') or "?"
  else
    other_status = other_status + 1
  end
end

function done(summary, latency, requests)
  local total_sent, total_accepted, total_other = 0, 0, 0
  local path = os.getenv("BENCH_ACCEPTED_FILE")
  local f = path and io.open(path, "w")
  for _, t in ipairs(threads) do
    total_sent = total_sent + t:get("sent")
    total_accepted = total_accepted + t:get("accepted")
    total_other = total_other + t:get("other_status")
    if f then
      local list = t:get("ok")
      for i = 1, #list do f:write(list[i], "\n") end
    end
  end
  if f then f:close() end
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format("BENCH requests=%d duration_s=%.2f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f "
      .. "max_ms=%.2f mean_ms=%.2f sent=%d accepted=%d non202=%d status_errors=%d connect_errors=%d "
      .. "read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000, total_sent, total_accepted, total_other,
    e.status, e.connect, e.read, e.write, e.timeout))
end
