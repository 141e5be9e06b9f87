-- wrk script for the overload benchmark (`make bench`): a mix of public pages, API calls,
-- sign-ins (a wrong password, so the sign-in limits answer 429 with Retry-After by design)
-- and form posts (a nomination with problems: 422), counting answers by status.
local requests = {
  { "GET", "/" },
  { "GET", "/economies" },
  { "GET", "/economies/e0007" },
  { "GET", "/trusts" },
  { "GET", "/benefits" },
  { "GET", "/api/v1/scores" },
  { "GET", "/api/v1/benefits" },
  { "GET", "/api/v1/economies/e0003" },
  { "POST", "/sign-in", "email=someone%40example.nhs.uk&password=not+the+password" },
  { "POST", "/nominate", "name=&region=London" },
}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  n = math.random(#requests)
  counts = {}
  retry_after = 0
end

function request()
  n = n % #requests + 1
  local r = requests[n]
  local headers = { ["sec-fetch-site"] = "same-origin" }
  if r[1] == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  return wrk.format(r[1], r[2], headers, r[3])
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if status == 429 and (headers["Retry-After"] ~= nil or headers["retry-after"] ~= nil) then
    retry_after = retry_after + 1
  end
end

function done(summary, latency, requests)
  local all, retry = {}, 0
  for _, t in ipairs(threads) do
    for status, c in pairs(t:get("counts")) do
      all[status] = (all[status] or 0) + c
    end
    retry = retry + t:get("retry_after")
  end
  local line = "statuses:"
  for status, c in pairs(all) do
    line = line .. string.format(" %d=%d", status, c)
  end
  print(line)
  print(string.format("429 with Retry-After: %d", retry))
  print(string.format("socket errors: connect %d, read %d, write %d, timeout %d",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
