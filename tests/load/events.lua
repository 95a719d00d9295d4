-- wrk script: POST /events in batches of 100 with unique event ids (durable before 202).
-- wrk -t2 -c32 -d30s -s tests/load/events.lua http://127.0.0.1:5080 -- 100000 20000
local users, items, counter = 100000, 20000, 0
local thread_tag = 0
function setup(thread)
  thread_tag = thread_tag + 1
  thread:set("tag", thread_tag)
end
-- The sample's ids are zero-padded to at least 5 digits (IdFormat.Width): user_00001 of 10,000, user_000001 of 100,000.
function width(count) return math.max(5, #tostring(count)) end
function init(args)
  if args[1] then users = tonumber(args[1]) end
  if args[2] then items = tonumber(args[2]) end
  math.randomseed(os.time() + tag)
end
function request()
  local parts = {}
  for i = 1, 100 do
    counter = counter + 1
    parts[i] = string.format('{"event_id":"load-%d-%d-%d","user_id":"user_%0' .. width(users) .. 'd","event_type":"view","item_id":"item_%0' .. width(items) .. 'd","session_id":"s-%d"}',
      tag, os.time(), counter, math.random(1, users), math.random(1, items), tag)
  end
  return wrk.format("POST", "/events", { ["content-type"] = "application/json" }, '{"events":[' .. table.concat(parts, ",") .. ']}')
end
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("requests/s: %.0f  events/s: %.0f  errors: %d  non-2xx: %d  p50: %.2f ms  p99: %.2f ms\n",
    summary.requests / seconds, summary.requests * 100 / seconds,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
