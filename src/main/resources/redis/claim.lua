-- Claims up to ARGV[1] of the oldest entries in one step: returns {entries, attempts}. The attempts of each
-- entry are looked up only while some entry has any (KEYS[3] is empty in the common case), by the SHA-1 of its bytes.
local items = redis.call('RPOP', KEYS[1], ARGV[1])
if not items then return {{}, {}} end
redis.call('LPUSH', KEYS[2], unpack(items))
local attempts = {}
if redis.call('HLEN', KEYS[3]) > 0 then
    for i = 1, #items do
        attempts[i] = tonumber(redis.call('HGET', KEYS[3], redis.sha1hex(items[i])) or '0')
    end
end
return {items, attempts}
