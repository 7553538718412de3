-- Hands a claimed entry back to the queue, to be claimed next, counting one more attempt.
local removed = redis.call('LREM', KEYS[1], -1, ARGV[1])
if removed > 0 then
    redis.call('RPUSH', KEYS[2], ARGV[1])
    redis.call('HINCRBY', KEYS[3], redis.sha1hex(ARGV[1]), 1)
end
return removed
