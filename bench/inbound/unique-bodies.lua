-- wrk script for bench/inbound/run.sh: POSTs the seed sample (compacted) with a distinct channel.id per
-- request, so each request is a new conversation. Usage:
--   wrk -t2 -c32 -d20s --latency -s unique-bodies.lua URL -- SAMPLE_JSON BASE_ID
-- Ids are BASE_ID + thread_index * 10,000,000 + n (n counts per thread from 0), so threads never collide
-- (fewer than 10 million requests per thread); use a different BASE_ID per wrk run (the warm-up and the
-- measured run, e.g. 100000000 and 200000000) to keep them unique across runs. All stay below 2^31.
-- Counts 2xx / non-2xx responses (and Chatport's "created" / "duplicate" receipts) in every thread, and
-- prints them in done(), with one machine-readable RESULT line for run.sh.

local threads = {}
local counter = 0

function setup(thread)
   thread:set("index", #threads)
   table.insert(threads, thread)
end

-- whitespace outside strings removed: the compact form of the pretty-printed sample
local function compact(text)
   local out, in_string, escaped = {}, false, false
   for i = 1, #text do
      local c = text:sub(i, i)
      if in_string then
         out[#out + 1] = c
         if escaped then escaped = false
         elseif c == "\\" then escaped = true
         elseif c == '"' then in_string = false end
      elseif c == '"' then
         in_string = true
         out[#out + 1] = c
      elseif not c:match("%s") then
         out[#out + 1] = c
      end
   end
   return table.concat(out)
end

local prefix, suffix, base
local STRIDE = 10000000
ok2xx, non2xx, created, duplicate = 0, 0, 0, 0

function init(args)
   local path = args[1] or "schemas/examples/seed-sample.json"
   base = tonumber(args[2] or "1000000")
   local file = assert(io.open(path, "rb"), "cannot read " .. path)
   local body = compact(file:read("*a"))
   file:close()
   -- split around the channel's id: "channel":{"id":55039,
   local s, e = body:find('"channel":{"id":%d+', 1)
   assert(s, "no channel.id in " .. path)
   local head = body:sub(s, e):gsub("%d+$", "")
   prefix = body:sub(1, s - 1) .. head
   suffix = body:sub(e + 1)
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
end

function request()
   local id = base + index * STRIDE + counter
   counter = counter + 1
   return wrk.format(nil, nil, nil, prefix .. id .. suffix)
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      ok2xx = ok2xx + 1
      if body:find('"status":"created"', 1, true) then created = created + 1
      elseif body:find('"status":"duplicate"', 1, true) then duplicate = duplicate + 1 end
   else
      non2xx = non2xx + 1
      if non2xx <= 3 then
         io.stderr:write(string.format("non-2xx: %d %s\n", status, (body or ""):sub(1, 300)))
      end
   end
end

function done(summary, latency, requests)
   local t2xx, tnon, tcreated, tdup = 0, 0, 0, 0
   for _, thread in ipairs(threads) do
      t2xx = t2xx + thread:get("ok2xx")
      tnon = tnon + thread:get("non2xx")
      tcreated = tcreated + thread:get("created")
      tdup = tdup + thread:get("duplicate")
   end
   local errors = summary.errors
   local socket_errors = errors.connect + errors.read + errors.write + errors.timeout
   local seconds = summary.duration / 1e6
   io.write(string.format("responses: %d 2xx (%d created, %d duplicate), %d non-2xx; socket errors: %d (timeouts %d)\n",
      t2xx, tcreated, tdup, tnon, socket_errors, errors.timeout))
   io.write(string.format(
      "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f ok2xx=%d non2xx=%d created=%d duplicate=%d socket_errors=%d timeouts=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      t2xx, tnon, tcreated, tdup, socket_errors, errors.timeout))
end
