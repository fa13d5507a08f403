// The `expect:` policy a client must meet; without one, the Aurion retry guidance (API notes §4.4).

export interface Expect {
  /** Attempts per operation, the first included. */
  maxAttempts: number
  /** Never retry sooner than an answer's Retry-After. */
  respectRetryAfter: boolean
  /** Slack for timer granularity when comparing a wait with a minimum (Retry-After, minBackoffMs). */
  toleranceMs: number
  /** A retry after a 4xx is wrong unless the status is listed in `retryableStatuses`. */
  noRetryOn4xx: boolean
  /** Statuses a client may retry; a dropped connection (status 0) always may. */
  retryableStatuses: readonly number[]
  /** After a 5xx or dropped connection: wait at least `minBackoffMs`, and longer each time. */
  backoff: boolean
  /** Shortest acceptable first backoff wait. */
  minBackoffMs: number
  /** Backoff waits differ between operations (judged with two or more operations of 2+ backoff retries). */
  jitter: boolean
  /** Every POST carries an Idempotency-Key, and every retry reuses it. */
  idempotencyKeysOnPost: boolean
  /** Retries never create a second resource after the first was committed. */
  noDuplicates: boolean
}

/**
 * The guidance: 4 attempts; wait Retry-After; 2^attempt s + 0-1 s jitter from attempt 0, so the
 * first backoff is at least 1 s. 100 ms of tolerance absorbs timer and clock-reading slack; network
 * time only lengthens the gaps the mock sees, so it needs none.
 */
export const DEFAULT_EXPECT: Readonly<Expect> = Object.freeze({
  maxAttempts: 4,
  respectRetryAfter: true,
  toleranceMs: 100,
  noRetryOn4xx: true,
  retryableStatuses: Object.freeze([429, 500, 502, 503, 504]),
  backoff: true,
  minBackoffMs: 1000,
  jitter: true,
  idempotencyKeysOnPost: true,
  noDuplicates: true
})

/** JSON Schema of the scenario file's `expect:` block; every key is optional. */
export const EXPECT_SCHEMA = {
  type: 'object',
  description: 'The retry policy the client must meet; omitted keys take the Aurion retry guidance defaults.',
  additionalProperties: false,
  properties: {
    maxAttempts: { type: 'integer', minimum: 1, maximum: 100, default: 4, description: 'Most attempts per operation, the first included.' },
    respectRetryAfter: { type: 'boolean', default: true, description: 'A retry must wait at least the Retry-After of the answer before it.' },
    toleranceMs: { type: 'integer', minimum: 0, maximum: 10000, default: 100, description: 'Slack (ms) when comparing a wait with Retry-After or minBackoffMs.' },
    noRetryOn4xx: { type: 'boolean', default: true, description: 'A 4xx not listed in retryableStatuses must not be retried.' },
    retryableStatuses: {
      type: 'array',
      items: { type: 'integer', minimum: 100, maximum: 599 },
      uniqueItems: true,
      default: [429, 500, 502, 503, 504],
      description: 'Statuses a client may retry; dropped connections and timeouts always may.'
    },
    backoff: { type: 'boolean', default: true, description: 'After a 5xx or dropped connection, wait at least minBackoffMs, and longer before each further retry.' },
    minBackoffMs: { type: 'integer', minimum: 0, maximum: 600000, default: 1000, description: 'Shortest acceptable first backoff wait (ms).' },
    jitter: { type: 'boolean', default: true, description: 'Backoff waits must differ between operations (needs two operations with two or more backoff retries).' },
    idempotencyKeysOnPost: { type: 'boolean', default: true, description: 'Every POST sends an Idempotency-Key and every retry reuses it.' },
    noDuplicates: { type: 'boolean', default: true, description: 'Retries must not create a second resource once the first was committed.' }
  }
} as const

const BOOLEAN_KEYS = ['respectRetryAfter', 'noRetryOn4xx', 'backoff', 'jitter', 'idempotencyKeysOnPost', 'noDuplicates'] as const
const INTEGER_KEYS = ['maxAttempts', 'toleranceMs', 'minBackoffMs'] as const

/**
 * The full policy from a raw `expect:` value (undefined or null: the defaults). Throws an Error
 * naming every bad or unknown key, so callers that skip the schema still fail loudly.
 */
export function normaliseExpect (raw: unknown): Expect {
  const out: Expect = { ...DEFAULT_EXPECT, retryableStatuses: [...DEFAULT_EXPECT.retryableStatuses] }
  if (raw === undefined || raw === null) return out
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error('expect must be a mapping of policy keys')
  const given = raw as Record<string, unknown>
  const problems: string[] = []
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(EXPECT_SCHEMA.properties, key)) {
      problems.push(`unknown key expect.${key}; known keys: ${Object.keys(EXPECT_SCHEMA.properties).join(', ')}`)
    }
  }
  for (const key of BOOLEAN_KEYS) {
    const value = given[key]
    if (typeof value === 'boolean') out[key] = value
    else if (value !== undefined) problems.push(`expect.${key} must be true or false`)
  }
  for (const key of INTEGER_KEYS) {
    const value = given[key]
    const { minimum, maximum } = EXPECT_SCHEMA.properties[key]
    if (typeof value === 'number' && Number.isInteger(value) && value >= minimum && value <= maximum) out[key] = value
    else if (value !== undefined) problems.push(`expect.${key} must be an integer from ${minimum} to ${maximum}`)
  }
  const statuses = given['retryableStatuses']
  if (Array.isArray(statuses) && statuses.every((s) => Number.isInteger(s) && s >= 100 && s <= 599)) {
    out.retryableStatuses = [...new Set(statuses as number[])]
  } else if (statuses !== undefined) problems.push('expect.retryableStatuses must be a list of HTTP statuses (100-599)')
  if (problems.length > 0) throw new Error(problems.join('\n'))
  return out
}
