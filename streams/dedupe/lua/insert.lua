-- RedisDedupeStore.record: evict what the count and the window no longer allow, then
-- file the article under its cells, add its feed to its story and count its terms.
local META, REC, INFO, CELLS, STORIES = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local now, window, capacity, sweep = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local ttl, payload, story, feed = tonumber(ARGV[5]), ARGV[6], ARGV[7], ARGV[8]
local n, cw, blob = tonumber(ARGV[9]), tonumber(ARGV[10]), ARGV[11]
local max_entries, max_feeds = tonumber(ARGV[12]), tonumber(ARGV[13])

local OUTLETS, NAMES = KEYS[8], KEYS[9]
local ohash, ostamp, oname, max_outlets = ARGV[16], ARGV[17], ARGV[18], tonumber(ARGV[19])
local sweep_cells = tonumber(ARGV[20])
local cells, fp0, keep0 = {}, n * cw, n * cw + 4 * n
for i = 1, fp0, cw do cells[#cells + 1] = string.sub(blob, i, i + cw - 1) end
local function pack_seq(seq) return struct.pack('>I4', seq % 4294967296) end

-- the article's cells, read with one HMGET
local current = {}
local vals = redis.call('HMGET', CELLS, unpack(cells))
for i = 1, n do current[cells[i]] = vals[i] or '' end

-- a replay (the first key is the article's id): stored already, nothing changes
local idv = current[cells[1]]
local j = find_aligned(idv, string.sub(blob, fp0 + 1, fp0 + 4), 1, 8, 0)
if j and redis.call('HEXISTS', REC, string.sub(idv, j + 4, j + 7)) == 1 then
  local sv = redis.call('HGET', STORIES, story)
  local outlets = add_outlet(OUTLETS, NAMES, story, '', '', '', 0)
  if sv then return {(#sv - 4) / 4, outlets[1], outlets[2]} end
  return {1, outlets[1], outlets[2]}
end

-- An evicted article's record, info and story membership go at once; its cell entries
-- stay where they are, dead (a seq below tail): lookups skip them, and they are dropped
-- when their cell is next written (below) or swept. Reading its ~44 cold cells to cut them
-- out cost more than the rest of an insert at a full store.
local gone = {}
local function evict(s32, info)
  local slot = string.sub(info, 9, 16)
  local sv = redis.call('HGET', STORIES, slot)
  if sv then
    local members = struct.unpack('>I4', sv)
    if members <= 1 then redis.call('HDEL', STORIES, slot); redis.call('HDEL', OUTLETS, slot)
    else redis.call('HSET', STORIES, slot, struct.pack('>I4', members - 1) .. string.sub(sv, 5)) end
  end
  gone[#gone + 1] = s32
end

local meta = redis.call('HMGET', META, 'head', 'tail', 'dfhalf', 'dfn0', 'dfn1', 'sweepcur')
local head, tail = tonumber(meta[1] or '0'), tonumber(meta[2] or '0')
local tail0 = tail
-- the count bound (one eviction per insert once full; a lowered max_signatures is caught
-- up with a few per insert), then a bounded sweep of expired articles from the oldest end
local evicted = 0
while head - tail >= capacity and evicted <= sweep do
  local s32 = pack_seq(tail)
  local info = redis.call('HGET', INFO, s32)
  if info then evict(s32, info) end
  tail, evicted = tail + 1, evicted + 1
end
local oldest, swept = now - window, 0
while tail < head and swept < sweep do
  local s32 = pack_seq(tail)
  local info = redis.call('HGET', INFO, s32)
  if info then
    if struct.unpack('>d', info) >= oldest then break end
    evict(s32, info)
  end
  tail, swept = tail + 1, swept + 1
end
if #gone > 0 then
  redis.call('HDEL', REC, unpack(gone))
  redis.call('HDEL', INFO, unpack(gone))
end
-- seqs tail .. head (this article's) are live; a cell's entries are newest first, so its
-- dead ones are its last (there are none before the first eviction: tail 0)
local live_span = head - tail + 1
local function live_bytes(v)
  local count = #v / 8
  if count == 0 then return 0 end
  if seq_live(v, #v - 3, tail, live_span) then return #v end
  local lo, hi = 0, count - 1  -- the first dead entry is in lo .. hi (0-based)
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if seq_live(v, 8 * mid + 5, tail, live_span) then lo = mid + 1 else hi = mid end
  end
  return 8 * lo
end

local s32, stamp = pack_seq(head), struct.pack('>d', now)
local sets, longest = {}, max_entries * 8
for i = 1, n do
  local c = cells[i]
  local v, keep = current[c], string.byte(blob, keep0 + i)
  local fp = string.sub(blob, fp0 + 4 * i - 3, fp0 + 4 * i)
  if tail > 0 then
    local live = live_bytes(v)
    if live < #v then v = string.sub(v, 1, live) end
  end
  if keep > 0 and #v > 0 then
    -- this key keeps its newest `keep` entries: drop its older ones beyond keep - 1
    local seen, parts, from, last = 0, {}, 1, 1
    while true do
      local at = find_aligned(v, fp, from, 8, 0)
      if at == nil then break end
      seen = seen + 1
      if seen >= keep then parts[#parts + 1] = string.sub(v, last, at - 1); last = at + 8 end
      from = at + 8
    end
    if last > 1 then parts[#parts + 1] = string.sub(v, last); v = table.concat(parts) end
  end
  v = fp .. s32 .. v
  if #v > longest then v = string.sub(v, 1, longest) end
  current[c] = v
  sets[2 * i - 1], sets[2 * i] = c, v  -- a cell listed twice: its last value is the final one
end
redis.call('HSET', CELLS, unpack(sets))
-- cells never written again would keep their dead entries: each seq leaving the window
-- also sweeps a few cells (HSCAN, its cursor in meta), so every cell is visited in turn
local sweepcur = meta[6]
if tail > tail0 and sweep_cells > 0 then
  local reply = redis.call('HSCAN', CELLS, sweepcur or '0', 'COUNT', sweep_cells * math.min(tail - tail0, 16))
  sweepcur = reply[1]
  local found, trims, dels = reply[2], {}, {}
  for k = 1, #found, 2 do
    local v = found[k + 1]
    local live = live_bytes(v)
    if live == 0 then dels[#dels + 1] = found[k]
    elseif live < #v then trims[#trims + 1] = found[k]; trims[#trims + 1] = string.sub(v, 1, live) end
  end
  if #dels > 0 then redis.call('HDEL', CELLS, unpack(dels)) end
  if #trims > 0 then redis.call('HSET', CELLS, unpack(trims)) end
end
redis.call('HSET', REC, s32, stamp .. payload)
redis.call('HSET', INFO, s32, stamp .. story)
local sv = redis.call('HGET', STORIES, story)
local members, feeds = 0, ''
if sv then members = struct.unpack('>I4', sv); feeds = string.sub(sv, 5) end
if find_aligned(feeds, feed, 1, 4, 0) == nil and #feeds < max_feeds * 4 then feeds = feeds .. feed end
redis.call('HSET', STORIES, story, struct.pack('>I4', members + 1) .. feeds)
-- document frequencies: the article's terms are counted in the current half; when it has
-- counted df_docs articles, the other half is emptied and counting moves there. An article
-- without terms (a near copy: its words are its original's) is not a document.
local terms, df_docs = ARGV[14], tonumber(ARGV[15])
local half = tonumber(meta[3] or '0')
local counted = tonumber(meta[4 + half] or '0')
if #terms > 0 then
  if counted >= df_docs then
    half, counted = 1 - half, 0
    redis.call('UNLINK', KEYS[6 + half])
  end
  local fields = {}
  for i = 1, #terms, 4 do fields[#fields + 1] = string.sub(terms, i, i + 3) end
  local key = KEYS[6 + half]
  local counts = redis.call('HMGET', key, unpack(fields))
  local sets = {}
  for i, f in ipairs(fields) do sets[2 * i - 1], sets[2 * i] = f, tonumber(counts[i] or '0') + 1 end
  redis.call('HSET', key, unpack(sets))
  counted = counted + 1
end
redis.call('HSET', META, 'head', head + 1, 'tail', tail, 'dfhalf', half, 'dfn' .. half, counted, 'sweepcur', sweepcur or '0')
local outlets = add_outlet(OUTLETS, NAMES, story, ohash, ostamp, oname, max_outlets)
for _, key in ipairs(KEYS) do redis.call('EXPIRE', key, ttl) end
return {#feeds / 4, outlets[1], outlets[2]}
