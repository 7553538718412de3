-- Removes committed entries. ARGV[1] = n, then n entries that should be the last n of the list, oldest
-- first: checked, then cut off with one LTRIM (one LREM each if the tail is not what we expect); then
-- entries to remove one by one (LREM from the tail, where the oldest claims lie).
local n = tonumber(ARGV[1])
local removed = 0
if n > 0 then
    local tail = redis.call('LRANGE', KEYS[1], -n, -1)
    local same = #tail == n
    for i = 1, n do
        if not same then break end
        same = tail[n - i + 1] == ARGV[i + 1]
    end
    if same then
        redis.call('LTRIM', KEYS[1], 0, -n - 1)
        removed = n
    else
        for i = 2, n + 1 do removed = removed + redis.call('LREM', KEYS[1], -1, ARGV[i]) end
    end
end
for i = n + 2, #ARGV do removed = removed + redis.call('LREM', KEYS[1], -1, ARGV[i]) end
if redis.call('HLEN', KEYS[2]) > 0 then
    for i = 2, #ARGV do redis.call('HDEL', KEYS[2], redis.sha1hex(ARGV[i])) end
end
return removed
