-- RedisDedupeStore.lookup: the exact matches, the candidates sharing most keys and the
-- document frequencies asked for. Keys and entries: redis_store.py.
local REC, CELLS, META, DF0, DF1 = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local oldest = tonumber(ARGV[1]) - tonumber(ARGV[2])
local limit, nexact, n, cw, blob = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
local dup_weight = tonumber(ARGV[9])
local meta = redis.call('HMGET', META, 'dfn0', 'dfn1', 'head', 'tail')
-- live articles are seqs tail .. head - 1; an evicted one's entries stay in their cells
-- until the cell is written or swept (insert.lua), and are skipped before reading records
local tail = tonumber(meta[4] or '0')
local live_span = tonumber(meta[3] or '0') - tail
local cells, fp0 = {}, n * cw  -- fingerprint i: bytes fp0 + 4i - 3 .. fp0 + 4i
for i = 1, n do cells[i] = string.sub(blob, i * cw - cw + 1, i * cw) end
local exact, hits, order, found = {}, {}, {}, 0
if n > 0 then
  local vals = redis.call('HMGET', CELLS, unpack(cells))
  local find, sub = string.find, string.sub
  for i = 1, n do
    local v = vals[i]
    if v then
      local fp, from = sub(blob, fp0 + 4 * i - 3, fp0 + 4 * i), 1
      local tag = string.byte(blob, i * cw - cw + 1)
      local w = 1  -- a band or anchor key weighs more than a story term (store.DUP_KEY_WEIGHT)
      if tag == 100 or tag == 97 then w = dup_weight end
      -- find_aligned inlined, and counters instead of the length operator: this loop runs
      -- for every matching entry, and there are more of them as the store fills
      while true do
        local j = find(v, fp, from, true)
        if j == nil then break end
        if (j - 1) % 8 == 0 then
          local seq = sub(v, j + 4, j + 7)
          if i <= nexact then exact[i] = seq; break end  -- an exact key keeps its newest only
          local h = hits[seq]
          if h == nil then found = found + 1; order[found] = seq; hits[seq] = w else hits[seq] = h + w end
          from = j + 8
        else
          from = j + 1
        end
      end
    end
  end
end
-- most shared keys first (weighted), ties in order of discovery (key order, then newest
-- first): a counting sort, as hits never exceed dup_weight times the number of keys
local by_hits, sizes, most = {}, {}, 0
for k = 1, found do
  local seq = order[k]
  local h = hits[seq]
  local size = sizes[h]
  if size == nil then by_hits[h] = {seq}; sizes[h] = 1; if h > most then most = h end
  else size = size + 1; by_hits[h][size] = seq; sizes[h] = size end
end
order = {}
local ranked = 0
for h = most, 1, -1 do
  local list = by_hits[h]
  if list then for k = 1, sizes[h] do ranked = ranked + 1; order[ranked] = list[k] end end
end
local out = {}
for i = 1, nexact do out[i] = false end
local ex = {}
for i = 1, nexact do if exact[i] then ex[#ex + 1] = i end end
local taken, next_index, first = 0, 1, true
while true do
  -- the exact matches and the next candidates in rank order, read with one HMGET
  local batch = {}
  if first then for _, i in ipairs(ex) do batch[#batch + 1] = exact[i] end end
  local nex = #batch
  local size = nex
  while size - nex < limit - taken and next_index <= ranked do
    local seq = order[next_index]
    next_index = next_index + 1
    -- (none is dead before the first eviction)
    if tail > 0 and not seq_live(seq, 1, tail, live_span) then seq = nil end
    if seq then size = size + 1; batch[size] = seq end
  end
  if size == 0 then break end
  local recs = redis.call('HMGET', REC, unpack(batch))
  for b = 1, size do
    local rec = recs[b]
    if rec and struct.unpack('>d', rec) >= oldest then  -- older ones wait for the sweep
      if b <= nex then
        out[ex[b]] = rec
      elseif taken < limit then
        taken = taken + 1
        out[nexact + taken] = rec
      end
    end
  end
  first = false
  if taken >= limit or next_index > ranked then break end
end
-- document frequencies of the article's story terms, both halves added up
local terms, dfs = ARGV[8], {}
if #terms > 0 then
  local fields = {}
  for i = 1, #terms, 4 do fields[#fields + 1] = string.sub(terms, i, i + 3) end
  local a = redis.call('HMGET', DF0, unpack(fields))
  local b = redis.call('HMGET', DF1, unpack(fields))
  for i = 1, #fields do dfs[i] = tonumber(a[i] or '0') + tonumber(b[i] or '0') end
end
return {out, dfs, tonumber(meta[1] or '0') + tonumber(meta[2] or '0')}
