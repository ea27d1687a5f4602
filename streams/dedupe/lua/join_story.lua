-- RedisDedupeStore.join: add a feed to a story's sources and an outlet to its outlets;
-- {source count, outlet entries, outlet names}.
local sv = redis.call('HGET', KEYS[1], ARGV[1])
if not sv then return {1, '', {}} end  -- its last article left the window since the lookup
local feeds = string.sub(sv, 5)
if find_aligned(feeds, ARGV[2], 1, 4, 0) == nil and #feeds < tonumber(ARGV[3]) * 4 then
  feeds = feeds .. ARGV[2]
  redis.call('HSET', KEYS[1], ARGV[1], string.sub(sv, 1, 4) .. feeds)
end
local outlets = add_outlet(KEYS[2], KEYS[3], ARGV[1], ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7]))
return {#feeds / 4, outlets[1], outlets[2]}
