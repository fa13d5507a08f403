// Per-session scripts. Every one takes KEYS[1] = the prefix and ARGV[1..3] = session id,
// generation, TTL ms; its own arguments follow from ARGV[4]. Each renews the TTL of what it writes.

import { LUA_PRELUDE } from './lua-prelude.js'

const SESSION = LUA_PRELUDE + `
local id, gen, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
local b = base(gen)
local function keep(...) for _, k in ipairs({...}) do redis.call('PEXPIRE', k, ttl) end end
`

/** ARGV[4]: counter. The count after adding one. */
export const INCR = SESSION + `
local n = redis.call('HINCRBY', b .. 'ctr', ARGV[4], 1)
keep(b .. 'ctr')
return n
`

/** ARGV[4]: key, ARGV[5]: JSON value ('' deletes). */
export const SET_VALUE = SESSION + `
if ARGV[5] == '' then redis.call('HDEL', b .. 'val', ARGV[4]) else redis.call('HSET', b .. 'val', ARGV[4], ARGV[5]) end
keep(b .. 'val')
return 1
`

/** ARGV[4..6]: key, windowMs, now. [count, resetsAt] of the fixed window open at now, or a new one. */
export const COUNT_IN_WINDOW = SESSION + `
return countWindow(b, ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), ttl)
`

/**
 * ARGV[4..10]: mode (claim, keep, release), key, JSON value, ttlMs, now, max claims, record budget.
 * claim: {1} when the key is now the caller's, {0, holder} when a live value holds it.
 */
export const CLAIM = SESSION + `
local mode, k, v, life, now = ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8])
local limit, maxTotal = tonumber(ARGV[9]), tonumber(ARGV[10])
local clv, clx, clo = b .. 'clv', b .. 'clx', b .. 'clo'
local function release(key)
  if redis.call('HDEL', clv, key) == 1 then
    redis.call('HDEL', clx, key)
    redis.call('ZREM', clo, key)
    tally(id, gen, -1, maxTotal)
  end
end
local function hold()
  if redis.call('HEXISTS', clv, k) == 0 then
    if redis.call('ZCARD', clo) >= limit then release(redis.call('ZRANGE', clo, 0, 0)[1]) end
    redis.call('ZADD', clo, redis.call('HINCRBY', b .. 'num', 'clseq', 1), k)
    tally(id, gen, 1, maxTotal)
  end
  redis.call('HSET', clv, k, v)
  redis.call('HSET', clx, k, string.format('%d', now + life))
  keep(clv, clx, clo, b .. 'num')
end
if mode == 'release' then release(k); return {1} end
if mode == 'keep' then hold(); return {1} end
local expires = redis.call('HGET', clx, k)
if expires and tonumber(expires) > now then return {0, redis.call('HGET', clv, k)} end
if expires then release(k) end
hold()
return {1}
`

/**
 * ARGV[4..11]: mode (put, insert, delete), kind, record key, JSON record, '1' when the seed holds
 * that id, seed size, max records, record budget. 1 done, 0 not (present for insert, absent for
 * delete), -1 the kind is full. A deleted seed record is kept as '' (a tombstone).
 */
export const WRITE_RECORD = SESSION + `
local mode, kind, rk, json, inSeed = ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8] == '1'
local seedSize, limit, maxTotal = ARGV[9], tonumber(ARGV[10]), tonumber(ARGV[11])
local c, o, num, cols = b .. 'c:' .. kind, b .. 'o:' .. kind, b .. 'num', b .. 'cols'
local size = 'n:' .. kind
local v = redis.call('HGET', c, rk)
local present = (v and v ~= '') or (not v and inSeed)
redis.call('HSETNX', num, size, seedSize)
redis.call('SADD', cols, kind)
local function done(result)
  keep(c, o, num, cols)
  return result
end
if mode == 'delete' then
  if not present then return done(0) end
  if inSeed then redis.call('HSET', c, rk, '') else redis.call('HDEL', c, rk) end
  redis.call('ZREM', o, rk)
  redis.call('HINCRBY', num, size, -1)
  tally(id, gen, -1, maxTotal)
  return done(1)
end
if present then
  if mode == 'insert' then return done(0) end
  redis.call('HSET', c, rk, json)
  return done(1)
end
if tonumber(redis.call('HGET', num, size)) >= limit then return done(-1) end
redis.call('HSET', c, rk, json)
redis.call('ZADD', o, redis.call('HINCRBY', num, 'ord:' .. kind, 1), rk)
redis.call('HINCRBY', num, size, 1)
tally(id, gen, 1, maxTotal)
return done(1)
`

/** ARGV[4]: kind. [changed records (key, JSON or '' flat), keys added beyond the seed in order, size or nil]. */
export const READ_RECORDS = SESSION + `
local kind = ARGV[4]
return {redis.call('HGETALL', b .. 'c:' .. kind), redis.call('ZRANGE', b .. 'o:' .. kind, 0, -1), redis.call('HGET', b .. 'num', 'n:' .. kind)}
`

/** ARGV[4..5]: kind, first id. The next id of the kind, never the same twice. */
export const NEXT_ID = SESSION + `
local n = redis.call('HINCRBY', b .. 'num', 'id:' .. ARGV[4], 1)
keep(b .. 'num')
return tonumber(ARGV[5]) + n - 1
`

/**
 * ARGV[4..7]: the entry as JSON without seq, its size, max entries, max bytes. Numbers it, keeps
 * the newest within both bounds (the newest always). Items are stored as "<size>|<JSON>".
 */
export const APPEND_JOURNAL = SESSION + `
local rest, size, maxEntries, maxBytes = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local j, num = b .. 'j', b .. 'num'
local seq = redis.call('HINCRBY', num, 'seq', 1)
local entry = string.format('{"seq":%d', seq) .. (rest == '{}' and '}' or (',' .. string.sub(rest, 2)))
local length = redis.call('RPUSH', j, size .. '|' .. entry)
local bytes = redis.call('HINCRBY', num, 'jb', size)
while length > maxEntries or (bytes > maxBytes and length > 1) do
  local first = redis.call('LPOP', j)
  bytes = redis.call('HINCRBY', num, 'jb', -tonumber(string.sub(first, 1, string.find(first, '|', 1, true) - 1)))
  length = length - 1
end
keep(j, num)
return seq
`

/** ARGV[4..5]: a webhook delivery attempt as JSON without seq, max entries. Numbers it and keeps the newest. */
export const APPEND_DELIVERY = SESSION + `
local d, num = b .. 'd', b .. 'num'
local seq = redis.call('HINCRBY', num, 'dseq', 1)
local rest = ARGV[4]
redis.call('RPUSH', d, string.format('{"seq":%d', seq) .. (rest == '{}' and '}' or (',' .. string.sub(rest, 2))))
redis.call('LTRIM', d, -tonumber(ARGV[5]), -1)
keep(d, num)
return seq
`
