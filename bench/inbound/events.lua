-- wrk script for the load harness's `events` and `ndjson10` scenarios: POST /v1/events with a realistic mix of
-- live chat events (docs/architecture.md, "The tracker's rules"). Usage:
--   wrk -t1 -c64 -d15s -s events.lua URL/v1/events -- KEY BASE_CHAT_ID PER_REQUEST ACTIVE ACCOUNT
-- PER_REQUEST 1 sends one event per request as a JSON object (application/json); more sends that many events
-- per request as NDJSON (application/x-ndjson). ACTIVE chats are open at once, each with its own script of
-- events; every request takes the next event of the next chats in turn, so two events of one chat are ACTIVE /
-- PER_REQUEST requests apart (far more than the connections in flight): each chat's events arrive in order,
-- with increasing `at`. A finished chat's slot starts a new chat (chat ids BASE_CHAT_ID + n; event ids
-- "e<chatId>-<step>", so unique while BASE_CHAT_ID differs between runs). Scripts, by share of chats:
--   3/7 completed: a page, the visitor's first message (with the visitor), an agent joins, agent, visitor,
--                  agent, a rating, the visitor closes (8 events)
--   2/7 by agent:  a trigger message, the visitor's message, an agent joins, agent, visitor, agent, the agent
--                  closes (7 events)
--   1/7 missed:    the visitor's message, another, the visitor closes with no answer (3 events)
--   1/7 offline:   an offline message (1 event)
-- Counts 2xx / non-2xx answers and the events accepted, duplicate and rejected in every answer, and prints one
-- machine-readable RESULT line in done().

local threads = {}

function setup(thread)
   thread:set("index", #threads)
   table.insert(threads, thread)
end

local key, base, per_request, active, account
local slots = {}
local cursor = 1
local next_chat = 0
local T0 = 1764547200000

ok2xx, non2xx, accepted, duplicates, rejected, events_sent, finishes_sent = 0, 0, 0, 0, 0, 0, 0

local function visitor_json(n)
   return string.format('{"id":%d,"name":"Visitor %d","email":"visitor%d@example.com","ipAddress":"89.235.0.55",'
      .. '"city":"Brno","countryCode":"CZ","country":"Czech Republic","userAgent":"Mozilla/5.0 (X11; Linux x86_64) '
      .. 'AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36","platform":"Linux x86_64","referer":"",'
      .. '"variables":{"plan":{"label":"Plan","value":"pro"}}}', n, n, n)
end

local function message(kind, from, content, extra)
   return string.format('"message":{"type":"%s","from":"%s",%s"content":"%s","triggeredBy":%s}',
      kind, from, extra and ('"name":"' .. extra .. '",') or "", content, "null")
end

-- Each step makes the type and body of one event for chat c (c.id, c.n = its sequence number).
local function visitor_says(text, first)
   return function(c)
      local body = message("visitor", "visitor:v" .. c.n, text)
      if first then body = '"visitor":' .. visitor_json(c.n) .. ',' .. body end
      return "message", body
   end
end
local function agent_says(text)
   return function(c) return "message", message("agent", "agent:" .. (c.n % 20 + 1), text, "Agent " .. (c.n % 20 + 1)) end
end
local function agent_joins(c)
   return "message", message("system", "agent:" .. (c.n % 20 + 1), "agent.join", "Agent " .. (c.n % 20 + 1))
end
local function trigger(c)
   return "message", '"message":{"type":"agent","name":"","from":"system","content":"Hello! Can we help you with anything?","triggeredBy":"Welcome"}'
end
local function page(c)
   return "page", '"page":{"url":"https://shop.example.com/products/' .. (c.n % 500) .. '","title":"Product ' .. (c.n % 500) .. '"}'
end
local function rating(c) return "rating", '"rating":{"rating":' .. (c.n % 5 + 1) .. ',"ratingDesc":"Thanks"}' end
local function close_by(who)
   return function(c)
      if who == "agent" then return "close", '"close":{"by":"agent","name":"Agent ' .. (c.n % 20 + 1) .. '"}' end
      return "close", '"close":{"by":"visitor"}'
   end
end
local function offline(c)
   return "offline", '"visitor":' .. visitor_json(c.n) .. ',"offline":{"type":"visitor","from":"visitor:v' .. c.n
      .. '","content":"Nobody is here, please call me back tomorrow","triggeredBy":null}'
end

local completed = { page, visitor_says("Hello, I have a question about my order", true), agent_joins,
   agent_says("Hi, how can I help you?"), visitor_says("Where is order 1234?"),
   agent_says("It left the warehouse this morning."), rating, close_by("visitor") }
local by_agent = { trigger, visitor_says("Do you ship to Spain?", true), agent_joins,
   agent_says("Yes, in 3 to 5 days."), visitor_says("Great, thank you"), agent_says("You are welcome!"), close_by("agent") }
local missed = { visitor_says("Is anybody there?", true), visitor_says("Hello?"), close_by("visitor") }
local offline_only = { offline }
local mix = { completed, completed, completed, by_agent, by_agent, missed, offline_only }

local function new_chat()
   local n = next_chat
   next_chat = next_chat + 1
   return { n = n, id = base + n, script = mix[n % #mix + 1], step = 1, at = T0 + n * 1000 }
end

local function next_event()
   local i = cursor
   local c = slots[i]
   cursor = cursor % active + 1
   local kind, body = c.script[c.step](c)
   local event = string.format('{"id":"e%d-%d","accountId":%d,"chatId":%d,"at":%d,"type":"%s",%s}',
      c.id, c.step, account, c.id, c.at, kind, body)
   events_sent = events_sent + 1
   c.step = c.step + 1
   c.at = c.at + 2000 + (c.step * 1237) % 9000
   if c.step > #c.script then
      finishes_sent = finishes_sent + 1
      slots[i] = new_chat()
   end
   return event
end

function init(args)
   key = args[1]
   base = tonumber(args[2] or "1000000")
   per_request = tonumber(args[3] or "1")
   active = tonumber(args[4] or "4000")
   account = tonumber(args[5] or "208")
   for i = 1, active do slots[i] = new_chat() end
   wrk.method = "POST"
   wrk.headers["Authorization"] = "Bearer " .. key
   wrk.headers["Content-Type"] = per_request == 1 and "application/json" or "application/x-ndjson"
end

function request()
   if per_request == 1 then
      return wrk.format(nil, nil, nil, next_event())
   end
   local lines = {}
   for i = 1, per_request do lines[i] = next_event() end
   return wrk.format(nil, nil, nil, table.concat(lines, "\n") .. "\n")
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      ok2xx = ok2xx + 1
      accepted = accepted + tonumber(body:match('"accepted":(%d+)') or "0")
      duplicates = duplicates + tonumber(body:match('"duplicates":(%d+)') or "0")
      local r = tonumber(body:match('"rejected":(%d+)') or "0")
      if r > 0 then
         rejected = rejected + r
         if rejected <= 3 then io.stderr:write(string.format("rejected: %s\n", body:sub(1, 400))) end
      end
   else
      non2xx = non2xx + 1
      if non2xx <= 3 then
         io.stderr:write(string.format("non-2xx: %d %s\n", status, (body or ""):sub(1, 400)))
      end
   end
end

function done(summary, latency, requests)
   local t = { ok2xx = 0, non2xx = 0, accepted = 0, duplicates = 0, rejected = 0, events_sent = 0, finishes_sent = 0 }
   for _, thread in ipairs(threads) do
      for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
   end
   local errors = summary.errors
   local socket_errors = errors.connect + errors.read + errors.write + errors.timeout
   local seconds = summary.duration / 1e6
   io.write(string.format("responses: %d 2xx, %d non-2xx; events accepted %d, duplicate %d, rejected %d; socket errors: %d\n",
      t.ok2xx, t.non2xx, t.accepted, t.duplicates, t.rejected, socket_errors))
   io.write(string.format(
      "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f ok2xx=%d non2xx=%d accepted=%d duplicates=%d rejected=%d events_sent=%d finishes_sent=%d socket_errors=%d timeouts=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      t.ok2xx, t.non2xx, t.accepted, t.duplicates, t.rejected, t.events_sent, t.finishes_sent, socket_errors, errors.timeout))
end
