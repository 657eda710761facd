-- wrk script: the public list, a partner page and the admin visit list, in turn.
-- The admin requests carry the session cookie given after "--" on the command line.
-- A second argument picks another mode (LOAD_MODE in loadtest/run):
--   "list":   the public list only (the cached page);
--   "unique": the public list with a query parameter new on every request
--             (/partners/?utm=<thread>-<n>), which must share the cached entry.

local paths = { "/partners/", "/partners/voronezh/", "/admin/partnerships/visit/" }
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  cookie = "sessionid=" .. (args[1] or "")
  mode = args[2] or "mix"
  tag = tostring(math.random(1, 1000000000))
  counter = 0
  errors = 0
  by_status = {}
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  if mode == "list" then
    path = "/partners/"
  elseif mode == "unique" then
    path = "/partners/?utm=" .. tag .. "-" .. counter
  end
  local headers = {}
  if path:find("^/admin/") then
    headers["Cookie"] = cookie
  end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  if status >= 400 or (status >= 300 and status ~= 304) then
    errors = errors + 1
  end
  by_status[status] = (by_status[status] or 0) + 1
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("errors")
  end
  local seconds = summary.duration / 1e6
  local socket_errors = summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.1f, "requests_per_second": %.1f, '
    .. '"p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, "max_ms": %.1f, '
    .. '"error_responses": %d, "socket_errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    failed + summary.errors.status, socket_errors))
end
