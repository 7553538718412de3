-- The attempts of one entry, when any entry has attempts at all.
if redis.call('HLEN', KEYS[1]) == 0 then return 0 end
return tonumber(redis.call('HGET', KEYS[1], redis.sha1hex(ARGV[1])) or '0')
