// The one config table: defaults < environment < flags, every value checked, the result frozen.

import t from 'tap'
import { DEFAULT_CONFIG, resolveConfig } from '../server/config.js'

t.test('defaults, then the environment, then flags', async (t) => {
  t.equal(resolveConfig([], {}).config.port, DEFAULT_CONFIG.port)
  t.equal(resolveConfig([], { AURION_MOCK_PORT: '5000' }).config.port, 5000, 'the environment over the default')
  t.equal(resolveConfig(['--port', '6000'], { AURION_MOCK_PORT: '5000' }).config.port, 6000, 'a flag over the environment')
  t.equal(resolveConfig(['--rate-limit', '7'], {}).config.rateLimit, 7)
})

t.test('every bad value is one line naming the flag or the variable', async (t) => {
  t.throws(() => resolveConfig(['--port', 'x'], {}), { code: 'AURION_MOCK_CONFIG', message: /^--port: / })
  t.throws(() => resolveConfig([], { AURION_MOCK_PORT: 'x' }), { message: /^AURION_MOCK_PORT: / })
  t.throws(() => resolveConfig(['--no-such-flag'], {}), { code: 'AURION_MOCK_CONFIG' })
  t.throws(() => resolveConfig(['--key', 'short=*'], {}), { message: /invalid API key/ })
})

t.test('positionals and the help and version flags come back as they are', async (t) => {
  const r = resolveConfig(['validate', 'a.yaml', '-h'], {})
  t.same(r.positionals, ['validate', 'a.yaml'])
  t.equal(r.help, true)
  t.equal(r.version, false)
})

t.test('the shared store: a redis:// or rediss:// URL, a key prefix and a session TTL of at least a second', async (t) => {
  t.equal(resolveConfig([], {}).config.store, undefined, 'in this process by default')
  const { config } = resolveConfig(['--store', 'rediss://user:pw@cache:6380/2', '--session-ttl', '30m'], { AURION_MOCK_STORE_PREFIX: 'team-a:' })
  t.same([config.store, config.storePrefix, config.sessionTtlMs], ['rediss://user:pw@cache:6380/2', 'team-a:', 1_800_000])
  t.equal(resolveConfig([], { AURION_MOCK_STORE: 'redis://127.0.0.1:6379' }).config.store, 'redis://127.0.0.1:6379')
  t.throws(() => resolveConfig(['--store', 'http://cache:6379'], {}), { message: /^--store: expected redis:\/\/host:port/ })
  t.throws(() => resolveConfig(['--session-ttl', '10ms'], {}), { message: /^--session-ttl: must be at least 1000 ms/ })
})

t.test('webhook retries: durations, comma-separated, or none; each bad one named', async (t) => {
  t.same(resolveConfig([], {}).config.webhookRetriesMs, [1_000, 5_000, 30_000, 120_000, 600_000], 'the documented schedule by default')
  t.same(resolveConfig(['--webhook-retries', '100ms, 500ms,2s'], {}).config.webhookRetriesMs, [100, 500, 2_000])
  t.same(resolveConfig([], { AURION_MOCK_WEBHOOK_RETRIES: 'none' }).config.webhookRetriesMs, [], 'none: never retried')
  t.throws(() => resolveConfig(['--webhook-retries', '1s,soon'], {}), { message: /^--webhook-retries: expected durations like 1s,5s,30s \(or none\), got "soon"/ })
  t.throws(() => resolveConfig(['--webhook-retries', ''], {}), { message: /^--webhook-retries: expected durations/ })
  t.throws(() => resolveConfig(['--webhook-retries', Array(21).fill('1s').join(',')], {}), { message: /^--webhook-retries: at most 20 retries, got 21/ })
})
