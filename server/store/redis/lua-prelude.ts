// The Lua every store script starts with: where a session's keys live, how a session is dropped,
// and how the record budget is kept. Each script is one atomic step on the Redis server.
//
// Key layout under the prefix P (KEYS[1]); a session's keys carry its generation, a number never
// used twice, so a session that was reset or dropped and comes back starts from clean keys, and a
// late write through a forgotten session lands in keys nobody reads (they expire with the TTL):
//   P.lru    zset  session id -> use tick (least recently used first)   P.tick  the use tick
//   P.gen    hash  session id -> its live generation                     P.gens  generations made
//   P.added  hash  session id -> records and claims it added             P.total their sum
//   P.active string the server's active scenario
//   P.s:<gen>:meta  hash id, start, scenario (exists exactly while the session is live)
//   P.s:<gen>:{num,ctr,val,win,clv,clx,clo,j,cols,c:<kind>,o:<kind>}  counters, values, windows,
//                   claims, journal, webhook deliveries, changed collections (see lua-session.ts)

export const LUA_PRELUDE = `
local P = KEYS[1]
local function base(gen) return P .. 's:' .. gen .. ':' end
local FIXED = {'meta', 'num', 'ctr', 'val', 'win', 'clv', 'clx', 'clo', 'j', 'd', 'cols'}
local function sessionKeys(gen)
  local b = base(gen)
  local keys = {}
  for _, s in ipairs(FIXED) do keys[#keys + 1] = b .. s end
  for _, name in ipairs(redis.call('SMEMBERS', b .. 'cols')) do
    keys[#keys + 1] = b .. 'c:' .. name
    keys[#keys + 1] = b .. 'o:' .. name
  end
  return keys
end
local function isLive(gen) return gen and redis.call('EXISTS', base(gen) .. 'meta') == 1 end
local function drop(id)
  local gen = redis.call('HGET', P .. 'gen', id)
  redis.call('HDEL', P .. 'gen', id)
  redis.call('ZREM', P .. 'lru', id)
  local added = tonumber(redis.call('HGET', P .. 'added', id) or '0')
  redis.call('HDEL', P .. 'added', id)
  if added ~= 0 then redis.call('DECRBY', P .. 'total', added) end
  if gen then redis.call('DEL', unpack(sessionKeys(gen))) end
end
local function tally(id, gen, delta, maxTotal)
  if redis.call('HGET', P .. 'gen', id) ~= gen then return end
  redis.call('HINCRBY', P .. 'added', id, delta)
  local total = redis.call('INCRBY', P .. 'total', delta)
  if delta <= 0 or total <= maxTotal then return end
  for _, other in ipairs(redis.call('ZRANGE', P .. 'lru', 0, -1)) do
    if other ~= id then
      drop(other)
      total = tonumber(redis.call('GET', P .. 'total'))
      if total <= maxTotal then return end
    end
  end
end
local function pruneExpired(limit)
  for _ = 1, limit do
    local front = redis.call('ZRANGE', P .. 'lru', 0, 0)[1]
    if front == nil or isLive(redis.call('HGET', P .. 'gen', front)) then return end
    drop(front)
  end
end
-- Counts one event in the fixed window open under field k of the session's 'win' hash at now, or
-- opens one there: {count, resetsAt}. COUNT_IN_WINDOW, and TOUCH when asked to count ahead.
local function countWindow(b, k, w, now, ttl)
  local count, start = 1, now
  local open = redis.call('HGET', b .. 'win', k)
  if open then
    local cut = string.find(open, ' ', 1, true)
    local s = tonumber(string.sub(open, 1, cut - 1))
    if s + w > now then
      start = s
      count = tonumber(string.sub(open, cut + 1)) + 1
    end
  end
  redis.call('HSET', b .. 'win', k, string.format('%d %d', start, count))
  redis.call('PEXPIRE', b .. 'win', ttl)
  return {count, start + w}
end
local function describe(gen)
  local b = base(gen)
  local meta = redis.call('HMGET', b .. 'meta', 'start', 'scenario')
  return {gen, meta[1], meta[2] or '', redis.call('SMEMBERS', b .. 'cols'), redis.call('GET', P .. 'active') or ''}
end
`
