-- wrk script of bench/scale.py: one RESULT line with p50, p95 and p99 (wrk's --latency has no p95),
-- and, when WRK_PATHS holds paths (one a line), each request takes the next one in turn.
local paths = {}
for path in string.gmatch(os.getenv("WRK_PATHS") or "", "[^\n]+") do
  table.insert(paths, path)
end
local n = 0

request = function()
  if #paths == 0 then
    return wrk.format(nil, nil)
  end
  n = n % #paths + 1
  return wrk.format(nil, paths[n])
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT rps=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f requests=%d status_err=%d socket_err=%d\n",
    summary.requests / (summary.duration / 1000000),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
