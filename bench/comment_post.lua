-- wrk script for bench/run.py: POST a valid comment form on every request.
-- Arguments (after "--"): path, the other fields url-encoded, the CSRF token, a marker.
-- Every body is unique (marker, thread, counter), so duplicate detection drops none of them.

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

local path, fields, marker
local counter = 0

function init(args)
  path, fields, marker = args[1], args[2], args[4]
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "csrftoken=" .. args[3]
end

function request()
  counter = counter + 1
  local body = fields .. "&body=Commentaire+de+charge+" .. marker .. "-" .. thread_id .. "-" .. counter
  return wrk.format("POST", path, nil, body)
end
