-- Helpers every dedupe script starts with (scripts.lua_script prepends this file).
local function find_aligned(v, needle, from, width, phase)
  while true do
    local j = string.find(v, needle, from, true)
    if j == nil then return nil end
    if (j - 1) % width == phase then return j end
    from = j + 1
  end
end
