-- Replaces a claimed entry by its completed text on the processing list; its attempts go with it.
local removed = redis.call('LREM', KEYS[1], -1, ARGV[1])
if removed > 0 then
    redis.call('LPUSH', KEYS[1], ARGV[2])
    local old = redis.sha1hex(ARGV[1])
    local attempts = redis.call('HGET', KEYS[2], old)
    if attempts then
        redis.call('HDEL', KEYS[2], old)
        redis.call('HSET', KEYS[2], redis.sha1hex(ARGV[2]), attempts)
    end
end
return removed
