// The `expect:` policy: defaults from the Aurion guidance, strict normalisation, and its schema.

import t from 'tap'
import { backoffBoundMs, DEFAULT_EXPECT, EXPECT_SCHEMA, normaliseExpect } from '../../server/expect/index.js'

t.test('no expect block means the Aurion retry guidance', async (t) => {
  const expect = normaliseExpect(undefined)
  t.same(expect, {
    maxAttempts: 4,
    respectRetryAfter: true,
    toleranceMs: 10,
    noRetryOn4xx: true,
    retryableStatuses: [429, 500, 502, 503, 504],
    backoff: true,
    minBackoffMs: 1000,
    backoffFactor: 2,
    jitter: true,
    idempotencyKeysOnPost: true,
    noDuplicates: true,
    receiverAnswers2xx: true,
    receiverNo5xx: true,
    receiverRejectsForgeries: true,
    receiverAcceptsRedeliveries: true
  })
  t.same(normaliseExpect(null), expect)
  t.same(normaliseExpect({}), expect)
})

t.test('given keys override the defaults, the rest stay', async (t) => {
  const expect = normaliseExpect({ maxAttempts: 6, jitter: false, retryableStatuses: [429, 503, 429] })
  t.equal(expect.maxAttempts, 6)
  t.equal(expect.jitter, false)
  t.same(expect.retryableStatuses, [429, 503])
  t.equal(expect.backoff, true)
})

t.test('the backoff keys: a factor may be fractional, the ceiling is absent unless given', async (t) => {
  const expect = normaliseExpect({ minBackoffMs: 100, backoffFactor: 1.5, maxBackoffMs: 400 })
  t.match(expect, { minBackoffMs: 100, backoffFactor: 1.5, maxBackoffMs: 400 })
  t.notOk('maxBackoffMs' in normaliseExpect(undefined), 'no ceiling by default')
  t.same([1, 2, 3, 4, 5].map((n) => backoffBoundMs(n, expect)), [100, 150, 225, 338, 400])
  t.same([1, 2, 3, 4].map((n) => backoffBoundMs(n, DEFAULT_EXPECT)), [1000, 2000, 4000, 8000], 'the guidance: 2^(n-1) s before retry n')
  t.same([1, 2, 3].map((n) => backoffBoundMs(n, normaliseExpect({ minBackoffMs: 0 }))), [0, 0, 0], 'full jitter: no lower bound')
  t.throws(() => normaliseExpect({ backoffFactor: 0.5 }), /expect\.backoffFactor must be a number from 1 to 10/)
  t.throws(() => normaliseExpect({ maxBackoffMs: 2.5 }), /expect\.maxBackoffMs must be an integer from 0 to 3600000/)
})

t.test('the result is a fresh object; the defaults cannot be changed through it', async (t) => {
  const expect = normaliseExpect(undefined)
  expect.maxAttempts = 9
  t.equal(DEFAULT_EXPECT.maxAttempts, 4)
  t.ok(Object.isFrozen(DEFAULT_EXPECT))
})

t.test('unknown keys and bad values fail loudly, all of them at once', async (t) => {
  t.throws(() => normaliseExpect('yes'), /expect must be a mapping/)
  t.throws(() => normaliseExpect([1]), /expect must be a mapping/)
  try {
    normaliseExpect({ maxAttempt: 3, maxAttempts: 0, backoff: 'yes', retryableStatuses: [42], toleranceMs: 1.5 })
    t.fail('should throw')
  } catch (err) {
    const lines = (err as Error).message.split('\n')
    t.equal(lines.length, 5)
    t.match(lines[0], /^unknown key expect\.maxAttempt; known keys: maxAttempts, /)
    t.ok(lines.includes('expect.maxAttempts must be an integer from 1 to 100'))
    t.ok(lines.includes('expect.backoff must be true or false'))
    t.ok(lines.includes('expect.toleranceMs must be an integer from 0 to 10000'))
    t.ok(lines.includes('expect.retryableStatuses must be a list of HTTP statuses (100-599)'))
  }
})

t.test('the schema fragment: camelCase keys, closed, described, defaults matching the code', async (t) => {
  t.equal(EXPECT_SCHEMA.type, 'object')
  t.equal(EXPECT_SCHEMA.additionalProperties, false)
  const properties: Record<string, { default?: unknown; description: string }> = EXPECT_SCHEMA.properties
  const defaults: Record<string, unknown> = { ...DEFAULT_EXPECT }
  t.same(Object.keys(properties).filter((k) => properties[k]?.default !== undefined).sort(), Object.keys(DEFAULT_EXPECT).sort())
  t.same(Object.keys(properties).filter((k) => properties[k]?.default === undefined), ['maxBackoffMs'], 'only the ceiling has no default')
  for (const [key, property] of Object.entries(properties)) {
    t.match(key, /^[a-z][A-Za-z0-9]*$/, `${key} is camelCase`)
    t.ok(property.description.length > 10, `${key} is described`)
    t.same(property.default, defaults[key], `${key} default matches`)
  }
})
