-- The load side of the HTTP benchmarks (jobs/bench/lookup.sh http|online|batch), as a wrk script. Requests start on
-- a steady schedule of RATE per second, one every 1/RATE s, whatever the answers' latency (an open workload, as
-- wrk2 and vegeta pace it): each connection, once answered, waits for the next free slot of the schedule. Latency is
-- counted from each request's send, so time spent waiting for a slot is not in it. Needs enough connections that
-- one is free at every slot (16 here by default; a slot that finds none starts late and the rate falls short, which
-- the summary shows).
-- Either GET URL{id} for uniformly random ids in [0, ENTITIES), or, with BATCH_ROWS and FEATURES (comma-separated
-- names), POST URL with a JSON list of BATCH_ROWS rows of uniform [0, 1) values of those features (64 bodies drawn
-- once, sent in turn).
-- Usage: wrk -t1 -c16 -dSECONDS --timeout 10s -s paced-load.lua URL -- ENTITIES RATE [BATCH_ROWS FEATURES]
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } nightjar_timespec;
  int clock_gettime(int clock_id, nightjar_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("nightjar_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local entities, interval_ms, bodies, path
local next_slot = nil
local sent = 0

function init(args)
  entities = tonumber(args[1])
  interval_ms = 1000 / tonumber(args[2])
  path = wrk.path
  if args[3] then
    local names = {}
    for name in string.gmatch(args[4], "[^,]+") do names[#names + 1] = name end
    bodies = {}
    for b = 1, 64 do
      local rows = {}
      for r = 1, tonumber(args[3]) do
        local fields = {}
        for i, name in ipairs(names) do fields[i] = string.format('"%s":%.17g', name, math.random()) end
        rows[r] = "{" .. table.concat(fields, ",") .. "}"
      end
      bodies[b] = wrk.format("POST", path, { ["Content-Type"] = "application/json" },
        "[" .. table.concat(rows, ",") .. "]")
    end
  end
end

-- Called when a connection is ready to send again: it takes the next slot of the schedule (or now, when the
-- schedule has fallen behind, so a late slot does not turn into a burst later).
function delay()
  local now = now_ms()
  if next_slot == nil or next_slot < now then next_slot = now end
  local wait = next_slot - now
  next_slot = next_slot + interval_ms
  return wait
end

function request()
  sent = sent + 1
  if bodies then return bodies[sent % #bodies + 1] end
  return wrk.format("GET", path .. math.random(0, entities - 1))
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local function ms(us) return string.format("%.1f", us / 1000) end
  io.write(string.format("%d requests in %.0fs (%.0f/s), non-2xx %d, errors %d, timeouts %d, " ..
    "latency p50 %s ms, p90 %s ms, p99 %s ms, p99.9 %s ms, max %s ms\n",
    summary.requests, seconds, summary.requests / seconds, e.status, e.connect + e.read + e.write, e.timeout,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)),
    ms(latency:percentile(99.9)), ms(latency.max)))
end
