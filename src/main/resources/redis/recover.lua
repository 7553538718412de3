-- Puts a whole processing list back on the queue, oldest entry to be claimed first, counting one more attempt
-- for each: an entry that crashes the service every time it is taken ends as a dead letter.
local moved = 0
while true do
    local item = redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT')
    if not item then break end
    redis.call('HINCRBY', KEYS[3], redis.sha1hex(item), 1)
    moved = moved + 1
end
return moved
