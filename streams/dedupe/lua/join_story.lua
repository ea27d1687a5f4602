-- RedisDedupeStore.join_story: add a feed to a story's sources; the source count.
local sv = redis.call('HGET', KEYS[1], ARGV[1])
if not sv then return 1 end  -- its last article left the window since the lookup
local feeds = string.sub(sv, 5)
if find_aligned(feeds, ARGV[2], 1, 4, 0) == nil and #feeds < tonumber(ARGV[3]) * 4 then
  feeds = feeds .. ARGV[2]
  redis.call('HSET', KEYS[1], ARGV[1], string.sub(sv, 1, 4) .. feeds)
end
return #feeds / 4
