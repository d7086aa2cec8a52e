-- wrk script: POSTs a pool of pre-signed Twilio webhook requests, one line each
-- ("<X-Twilio-Signature>\t<form body>"), in order; written by the benchmark suite.
-- Usage: wrk -t1 -c64 -d10s -s bench/signed-pool.lua http://127.0.0.1:PORT/twilio/status -- POOL_FILE
local pool = {}
local i = 0
local path

function init(args)
  for line in io.lines(args[1]) do
    local tab = line:find("\t", 1, true)
    pool[#pool + 1] = { line:sub(1, tab - 1), line:sub(tab + 1) }
  end
  path = wrk.path
end

function request()
  i = i + 1
  local entry = pool[(i - 1) % #pool + 1]
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8",
    ["X-Twilio-Signature"] = entry[1],
  }, entry[2])
end
