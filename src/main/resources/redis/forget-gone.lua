-- Forgets instances that are gone and hold no claims.
local forgotten = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
    if redis.call('EXISTS', ARGV[1] .. id) == 0 and redis.call('LLEN', ARGV[2] .. id) == 0 then
        forgotten = forgotten + redis.call('SREM', KEYS[1], id)
    end
end
return forgotten
