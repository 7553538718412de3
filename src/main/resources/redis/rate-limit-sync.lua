-- For each key: INCRBY its window's counter by what this instance counted, return the window's total.
local totals = {}
for i = 1, #KEYS do
    totals[i] = redis.call('INCRBY', KEYS[i], ARGV[i])
    if totals[i] == tonumber(ARGV[i]) then redis.call('PEXPIRE', KEYS[i], ARGV[#KEYS + 1]) end
end
return totals
