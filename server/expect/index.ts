// The `expect:` policy a client must meet (a scenario's `expect:` block); without one, the Aurion
// retry guidance (API notes §4.4). Its type, defaults, schema fragment and normaliser live here, on
// neutral ground: the scenario loader reads the block, the grader (verify/) applies it, and neither
// imports the other.

export interface Expect {
  /** Attempts per operation, the first included. */
  maxAttempts: number
  /** Never retry sooner than an answer's Retry-After. */
  respectRetryAfter: boolean
  /** Slack when comparing a wait with its lower bound (Retry-After, the backoff bound). */
  toleranceMs: number
  /** A retry after a 4xx is wrong unless the status is listed in `retryableStatuses`. */
  noRetryOn4xx: boolean
  /** Statuses a client may retry; a dropped connection (status 0) always may. */
  retryableStatuses: readonly number[]
  /** Before retry n after a 5xx or dropped connection: wait at least min(minBackoffMs·backoffFactor^(n-1), maxBackoffMs). */
  backoff: boolean
  /** The bound before the first retry. */
  minBackoffMs: number
  /** How much the bound grows from one retry to the next. */
  backoffFactor: number
  /** The ceiling of the bound; none when absent. */
  maxBackoffMs?: number
  /** Backoff waits differ between operations (judged with six or more operations backing off at one retry). */
  jitter: boolean
  /** Every POST carries an Idempotency-Key, and every retry reuses it. */
  idempotencyKeysOnPost: boolean
  /** Retries never create a second resource after the first was committed. */
  noDuplicates: boolean
  /** A webhook receiver answers every event delivered to it with a 2xx within the delivery timeout. */
  receiverAnswers2xx: boolean
  /** A webhook receiver never answers a validly signed event with a 5xx. */
  receiverNo5xx: boolean
  /** A webhook receiver answers a badly signed or changed delivery with a 4xx. */
  receiverRejectsForgeries: boolean
  /** A webhook receiver answers a redelivered event (the same id again) with a 2xx. */
  receiverAcceptsRedeliveries: boolean
}

/**
 * The guidance: 4 attempts; wait Retry-After; 2^attempt s + 0-1 s jitter from attempt 0, so retry
 * n waits at least 2^(n-1) s, with no ceiling. The mock measures a wait from the moment it sent
 * its answer to the moment the retry arrived, so network and scheduling delays only lengthen it;
 * 10 ms of tolerance covers clocks read in whole milliseconds and timers that fire a little early.
 */
export const DEFAULT_EXPECT: Readonly<Expect> = Object.freeze({
  maxAttempts: 4,
  respectRetryAfter: true,
  toleranceMs: 10,
  noRetryOn4xx: true,
  retryableStatuses: Object.freeze([429, 500, 502, 503, 504]),
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

/** JSON Schema of the scenario file's `expect:` block; every key is optional. */
export const EXPECT_SCHEMA = {
  title: 'Expect',
  type: 'object',
  description: 'The retry policy the client must meet; omitted keys take the Aurion retry guidance defaults.',
  additionalProperties: false,
  properties: {
    maxAttempts: { title: 'Max attempts', type: 'integer', minimum: 1, maximum: 100, default: 4, description: 'Most attempts per operation, the first included.' },
    respectRetryAfter: { title: 'Respect Retry-After', type: 'boolean', default: true, description: 'A retry must wait at least the Retry-After of the answer before it.' },
    toleranceMs: { title: 'Tolerance', type: 'integer', minimum: 0, maximum: 10000, default: 10, description: 'Slack (ms) when comparing a wait with Retry-After or the backoff bound.' },
    noRetryOn4xx: { title: 'No retry on 4xx', type: 'boolean', default: true, description: 'A 4xx not listed in retryableStatuses must not be retried.' },
    retryableStatuses: {
      title: 'Retryable statuses',
      type: 'array',
      items: { type: 'integer', minimum: 100, maximum: 599 },
      uniqueItems: true,
      default: [429, 500, 502, 503, 504],
      description: 'Statuses a client may retry; dropped connections and timeouts always may.'
    },
    backoff: { title: 'Backoff', type: 'boolean', default: true, description: 'Before retry n after a 5xx or dropped connection, wait at least min(minBackoffMs x backoffFactor^(n-1), maxBackoffMs), less toleranceMs.' },
    minBackoffMs: { title: 'Minimum backoff', type: 'integer', minimum: 0, maximum: 600000, default: 1000, description: 'The backoff bound before the first retry (ms); 0 for clients with full jitter.' },
    backoffFactor: { title: 'Backoff factor', type: 'number', minimum: 1, maximum: 10, default: 2, description: 'How much the backoff bound grows from one retry to the next (1: constant).' },
    maxBackoffMs: { title: 'Maximum backoff', type: 'integer', minimum: 0, maximum: 3600000, description: 'Ceiling of the backoff bound (ms), for clients that cap their waits; no ceiling when omitted.' },
    jitter: { title: 'Jitter', type: 'boolean', default: true, description: 'Backoff waits must differ between operations (judged where six or more operations backed off at the same retry).' },
    idempotencyKeysOnPost: { title: 'Idempotency keys on POST', type: 'boolean', default: true, description: 'Every POST sends an Idempotency-Key and every retry reuses it.' },
    noDuplicates: { title: 'No duplicates', type: 'boolean', default: true, description: 'Retries must not create a second resource once the first was committed.' },
    receiverAnswers2xx: { title: 'Receiver answers 2xx', type: 'boolean', default: true, description: 'A webhook receiver answers each event delivered to it with a 2xx within the delivery timeout.' },
    receiverNo5xx: { title: 'Receiver sends no 5xx', type: 'boolean', default: true, description: 'A webhook receiver never answers a validly signed event with a 5xx.' },
    receiverRejectsForgeries: { title: 'Receiver rejects forgeries', type: 'boolean', default: true, description: 'A webhook receiver answers a delivery with a bad signature or a changed body with a 4xx.' },
    receiverAcceptsRedeliveries: { title: 'Receiver accepts redeliveries', type: 'boolean', default: true, description: 'A webhook receiver answers a redelivered event (the same event id again) with a 2xx.' }
  }
} as const

const BOOLEAN_KEYS = ['respectRetryAfter', 'noRetryOn4xx', 'backoff', 'jitter', 'idempotencyKeysOnPost', 'noDuplicates', 'receiverAnswers2xx', 'receiverNo5xx', 'receiverRejectsForgeries', 'receiverAcceptsRedeliveries'] as const
const INTEGER_KEYS = ['maxAttempts', 'toleranceMs', 'minBackoffMs', 'maxBackoffMs'] as const
const NUMBER_KEYS = ['backoffFactor'] as const

function inRange (value: unknown, { minimum, maximum }: { minimum: number; maximum: number }): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= minimum && value <= maximum
}

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
    const range = EXPECT_SCHEMA.properties[key]
    if (inRange(value, range) && Number.isInteger(value)) out[key] = value
    else if (value !== undefined) problems.push(`expect.${key} must be an integer from ${range.minimum} to ${range.maximum}`)
  }
  for (const key of NUMBER_KEYS) {
    const value = given[key]
    const range = EXPECT_SCHEMA.properties[key]
    if (inRange(value, range)) out[key] = value
    else if (value !== undefined) problems.push(`expect.${key} must be a number from ${range.minimum} to ${range.maximum}`)
  }
  const statuses = given['retryableStatuses']
  if (Array.isArray(statuses) && statuses.every((s) => Number.isInteger(s) && s >= 100 && s <= 599)) {
    out.retryableStatuses = [...new Set(statuses as number[])]
  } else if (statuses !== undefined) problems.push('expect.retryableStatuses must be a list of HTTP statuses (100-599)')
  if (problems.length > 0) throw new Error(problems.join('\n'))
  return out
}

/**
 * The least a client must wait before retry `n` (from 1) after a 5xx or a dropped connection,
 * before tolerance: min(minBackoffMs · backoffFactor^(n-1), maxBackoffMs).
 */
export function backoffBoundMs (n: number, expect: Pick<Expect, 'minBackoffMs' | 'backoffFactor' | 'maxBackoffMs'>): number {
  const grown = expect.minBackoffMs * expect.backoffFactor ** Math.max(0, n - 1)
  return Math.round(Math.min(grown, expect.maxBackoffMs ?? Infinity))
}
