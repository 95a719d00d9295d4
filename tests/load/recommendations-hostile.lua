-- wrk script: POST /recommendations with a filter that keeps nothing, num_results 100 (issue #18 item 3).
-- wrk -t1 -c8 -d10s -s tests/load/recommendations-hostile.lua http://127.0.0.1:5090 -- 10000 empty|price
--   empty: INCLUDE of a category no item has (recognised from the catalog before any scoring);
--   price: INCLUDE of a price no item reaches (only found by scoring: over-fetches until its budget or slot runs out).
local users, kind = 10000, "empty"
function width(count) return math.max(5, #tostring(count)) end
function init(args)
  if args[1] then users = tonumber(args[1]) end
  if args[2] then kind = args[2] end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
function request()
  local id = string.format("user_%0" .. width(users) .. "d", math.random(1, users))
  local filter = kind == "price" and 'INCLUDE ItemID WHERE Items.PRICE > 1000000000'
    or 'INCLUDE ItemID WHERE Items.CATEGORY IN (\\"no-such-category\\")'
  local body = '{"user_id":"' .. id .. '","num_results":100,"filter":"' .. filter .. '"}'
  return wrk.format("POST", "/recommendations", { ["content-type"] = "application/json" }, body)
end
function done(summary, latency, requests)
  io.write(string.format("requests/s: %.0f  errors: %d  p50: %.2f ms  p90: %.2f ms  p99: %.2f ms  max: %.2f ms\n",
    summary.requests / (summary.duration / 1e6),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
