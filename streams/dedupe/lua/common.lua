-- Helpers every dedupe script starts with (scripts.lua_script prepends this file).
local function find_aligned(v, needle, from, width, phase)
  while true do
    local j = string.find(v, needle, from, true)
    if j == nil then return nil end
    if (j - 1) % width == phase then return j end
    from = j + 1
  end
end
-- Whether the 4-byte big-endian seq at byte `at` of `v` is live: one of the `live_span`
-- seqs from `tail` on (seqs wrap at 2^32). An evicted article's entries stay in their
-- cells, dead, until the cell is next written or swept (insert.lua).
local function seq_live(v, at, tail, live_span)
  local b1, b2, b3, b4 = string.byte(v, at, at + 3)
  return ((((b1 * 256 + b2) * 256 + b3) * 256 + b4) - tail) % 4294967296 < live_span
end
-- A story's outlets: 12-byte entries (4-byte outlet hash, first seen as a big-endian
-- double), names kept once per outlet in their own hash. Adds the outlet (or moves its
-- first report earlier) unless the list is full; returns the entries and their names.
local function add_outlet(outlets_key, names_key, slot, ohash, stamp, name, max_outlets)
  local v = redis.call('HGET', outlets_key, slot) or ''
  if #ohash == 4 then
    local at = find_aligned(v, ohash, 1, 12, 0)
    if at == nil then
      if #v < max_outlets * 12 then
        v = v .. ohash .. stamp
        redis.call('HSET', outlets_key, slot, v)
        redis.call('HSETNX', names_key, ohash, name)
      end
    elseif struct.unpack('>d', string.sub(v, at + 4, at + 11)) > struct.unpack('>d', stamp) then
      v = string.sub(v, 1, at + 3) .. stamp .. string.sub(v, at + 12)
      redis.call('HSET', outlets_key, slot, v)
    end
  end
  local hashes = {}
  for i = 1, #v, 12 do hashes[#hashes + 1] = string.sub(v, i, i + 3) end
  local names = {}
  if #hashes > 0 then names = redis.call('HMGET', names_key, unpack(hashes)) end
  return {v, names}
end
