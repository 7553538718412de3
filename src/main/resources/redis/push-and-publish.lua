-- LPUSH of every entry, then each PUBLISHed on KEYS[2]: one round trip, queued together or not at all.
for i = 1, #ARGV, 1000 do
    redis.call('LPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
for i = 1, #ARGV do redis.call('PUBLISH', KEYS[2], ARGV[i]) end
return #ARGV
