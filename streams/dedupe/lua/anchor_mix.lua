-- RedisDedupeStore: until when lookups must also read the anchor cells that versions
-- before the anchor mix filed anchors in (cells.ANCHOR_MIX). Decided once per store: a store
-- that already holds articles may hold such anchors for one window more (ARGV[1], now, plus
-- ARGV[2], the window); a new store holds none (0). Written into meta, so that every worker
-- reads the same answer.
local META = KEYS[1]
local until_ = redis.call('HGET', META, 'plainanchors')
if until_ then return until_ end
if redis.call('HEXISTS', META, 'head') == 1 then
  until_ = string.format('%.3f', tonumber(ARGV[1]) + tonumber(ARGV[2]))
else
  until_ = '0'
end
redis.call('HSET', META, 'plainanchors', until_)
return until_
