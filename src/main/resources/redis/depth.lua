-- Waiting on the list, and claimed by any registered instance and not yet committed.
local claimed = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    claimed = claimed + redis.call('LLEN', ARGV[1] .. id)
end
return {redis.call('LLEN', KEYS[1]), claimed}
