// Store-wide scripts: finding, making, listing and dropping sessions, and scenario activation.

import { LUA_PRELUDE } from './lua-prelude.js'

/**
 * ARGV: id, now, ttlMs, maxSessions[, window key, windowMs, window now]. Marks the session used (making it, and
 * dropping the least recently used past the bound, when it is new), renews the TTL of every key it
 * owns once a tenth of it has passed; answers [gen, start, own scenario, changed collections,
 * server's scenario], and with a window key also counts one event in that window (as
 * COUNT_IN_WINDOW does) and appends [count, resetsAt].
 */
export const TOUCH = LUA_PRELUDE + `
local id, now, ttl, maxSessions = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
pruneExpired(16)
local gen = redis.call('HGET', P .. 'gen', id)
if gen and not isLive(gen) then drop(id); gen = nil end
local made = false
if not gen then
  gen = tostring(redis.call('INCR', P .. 'gens'))
  redis.call('HSET', P .. 'gen', id, gen)
  redis.call('HSET', base(gen) .. 'meta', 'id', id, 'start', now)
  made = true
end
redis.call('ZADD', P .. 'lru', redis.call('INCR', P .. 'tick'), id)
if made then
  while redis.call('ZCARD', P .. 'lru') > maxSessions do drop(redis.call('ZRANGE', P .. 'lru', 0, 0)[1]) end
end
if made or redis.call('PTTL', base(gen) .. 'meta') < ttl * 0.9 then
  for _, k in ipairs(sessionKeys(gen)) do redis.call('PEXPIRE', k, ttl) end
end
local facts = describe(gen)
if ARGV[5] then
  local counted = countWindow(base(gen), ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7]), ttl)
  facts[6], facts[7] = counted[1], counted[2]
end
return facts
`

/** ARGV: id. The live session's facts (as TOUCH answers them), or nil; makes nothing. */
export const FIND = LUA_PRELUDE + `
local gen = redis.call('HGET', P .. 'gen', ARGV[1])
if not isLive(gen) then return nil end
return describe(gen)
`

/** ARGV: id ('' for none). The session's own scenario, else the server's; nil when neither. */
export const ACTIVE = LUA_PRELUDE + `
if ARGV[1] ~= '' then
  local gen = redis.call('HGET', P .. 'gen', ARGV[1])
  if isLive(gen) then
    local own = redis.call('HGET', base(gen) .. 'meta', 'scenario')
    if own then return own end
  end
end
return redis.call('GET', P .. 'active')
`

/** ARGV: id, name ('' clears). Sets a live session's own scenario (the caller touched it first). */
export const ACTIVATE_FOR = LUA_PRELUDE + `
local gen = redis.call('HGET', P .. 'gen', ARGV[1])
if not isLive(gen) then return 0 end
if ARGV[2] == '' then redis.call('HDEL', base(gen) .. 'meta', 'scenario')
else redis.call('HSET', base(gen) .. 'meta', 'scenario', ARGV[2]) end
return 1
`

/** No ARGV. Ids of the live sessions, least recently used first (expired ones are forgotten). */
export const SESSION_IDS = LUA_PRELUDE + `
local live = {}
for _, id in ipairs(redis.call('ZRANGE', P .. 'lru', 0, -1)) do
  if isLive(redis.call('HGET', P .. 'gen', id)) then live[#live + 1] = id else drop(id) end
end
return live
`

/** ARGV: id ('' for every session). Forgets sessions with all they own; the server's activation stays. */
export const RESET = LUA_PRELUDE + `
if ARGV[1] ~= '' then drop(ARGV[1]); return 1 end
for _, id in ipairs(redis.call('ZRANGE', P .. 'lru', 0, -1)) do drop(id) end
return 1
`
