-- wrk script of the benchmark's http suite (WrkLoad.cs): quorum PUTs or GETs of uniformly random keys against one
-- node's HTTP API (/kv/{key}?w= or ?r=), answering in machine-readable lines that WrkOutput.cs parses.
--
-- Every wrk thread has one connection (wrk -t N -c N), so a response always answers the thread's last request. A PUT
-- sends the X-Causal-Context of its key's last answer and keeps the new one, as the in-process StoreTarget does: a PUT
-- without it would be concurrent with the stored value, and keys would pile up siblings until the sibling limit refuses
-- writes. Contexts live in a thread's own Lua state, so each connection writes only its own keys (key % connections
-- == its index over all wrk processes of the run); together they still cover every key uniformly. GETs read any key.
--
-- Input (environment): BENCH_OPERATION put|get, BENCH_LEVEL (one|quorum|all), BENCH_KEYS, BENCH_CONNECTIONS (of all
-- wrk processes together), BENCH_FIRST_CONNECTION (this process's first index), BENCH_VALUE_FILE (the value's bytes),
-- BENCH_CONTEXT_FILE (lines "<key> <context>").
-- Output (stdout, from done()): "wrk-summary <duration us> <responses> <non-2xx> <connect> <read> <write> <timeout>",
-- "wrk-latency <us> <count>" for every latency seen, "wrk-context <key> <context>" for every key a PUT wrote, and
-- "wrk-first-error <status> <body>" when some response was not 2xx.

local threads = {}

function setup(thread)
   thread:set("connection", tonumber(os.getenv("BENCH_FIRST_CONNECTION")) + #threads)
   table.insert(threads, thread)
end

function init(args)
   operation = os.getenv("BENCH_OPERATION")
   level = os.getenv("BENCH_LEVEL")
   keys = tonumber(os.getenv("BENCH_KEYS"))
   connections = tonumber(os.getenv("BENCH_CONNECTIONS"))
   -- The keys of this connection: connection, connection + connections, ... below keys.
   owned = math.floor((keys - 1 - connection) / connections) + 1
   math.randomseed(connection * 7919 + 17)
   local file = assert(io.open(os.getenv("BENCH_VALUE_FILE"), "rb"))
   value = file:read("*a")
   file:close()
   contexts = {}
   if operation == "put" then
      for line in io.lines(os.getenv("BENCH_CONTEXT_FILE")) do
         local key, context = line:match("^(%d+) (%S+)$")
         if key and tonumber(key) % connections == connection then contexts[tonumber(key)] = context end
      end
   end
   written = {}
   non2xx = 0
   first_error = nil
   pending = nil
end

-- Key names as KeySpace (Targets/IKeyValueTarget.cs) makes them, so GETs find the keys the preload wrote.
local function path_of(key)
   if operation == "put" then return string.format("/kv/key-%07d?w=%s", key, level) end
   return string.format("/kv/key-%07d?r=%s", key, level)
end

function request()
   if operation == "put" then
      pending = connection + connections * math.random(0, owned - 1)
      local headers = { ["Content-Type"] = "application/octet-stream", ["X-Causal-Context"] = contexts[pending] }
      return wrk.format("PUT", path_of(pending), headers, value)
   end
   pending = math.random(0, keys - 1)
   return wrk.format("GET", path_of(pending), {})
end

local function header(headers, name)
   if headers[name] then return headers[name] end
   for key, value in pairs(headers) do
      if string.lower(key) == string.lower(name) then return value end
   end
   return nil
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      if operation == "put" then
         contexts[pending] = header(headers, "X-Causal-Context")
         written[pending] = contexts[pending]
      end
      return
   end
   non2xx = non2xx + 1
   if not first_error then first_error = status .. " " .. string.gsub(string.sub(body or "", 1, 300), "%s+", " ") end
end

function done(summary, latency, requests)
   local failed, first = 0, nil
   for _, thread in ipairs(threads) do
      failed = failed + thread:get("non2xx")
      first = first or thread:get("first_error")
      for key, context in pairs(thread:get("written")) do
         io.write(string.format("wrk-context %d %s\n", key, context))
      end
   end
   for i = 1, #latency do
      local microseconds, count = latency(i)
      io.write(string.format("wrk-latency %d %d\n", microseconds, count))
   end
   local e = summary.errors
   io.write(string.format("wrk-summary %d %d %d %d %d %d %d\n", summary.duration, summary.requests, failed,
      e.connect, e.read, e.write, e.timeout))
   if first then io.write("wrk-first-error " .. first .. "\n") end
end
