-- wrk script: POST /recommendations with a filter (EXCLUDE what the user purchased), users drawn uniformly.
-- wrk -t1 -c32 -d30s -s tests/load/recommendations-filtered.lua http://127.0.0.1:5090 -- 100000
local users = 100000
-- The sample's ids are zero-padded to at least 5 digits (IdFormat.Width): user_00001 of 10,000, user_000001 of 100,000.
function width(count) return math.max(5, #tostring(count)) end
function init(args)
  if args[1] then users = tonumber(args[1]) end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
function request()
  local id = string.format("user_%0" .. width(users) .. "d", math.random(1, users))
  local body = '{"user_id":"' .. id .. '","num_results":10,' ..
    '"filter":"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\\"purchase\\")"}'
  return wrk.format("POST", "/recommendations", { ["content-type"] = "application/json" }, body)
end
function done(summary, latency, requests)
  io.write(string.format("requests/s: %.0f  errors: %d  p50: %.2f ms  p90: %.2f ms  p99: %.2f ms  max: %.2f ms\n",
    summary.requests / (summary.duration / 1e6),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
