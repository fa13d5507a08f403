// Retry policies of the test clients: the Aurion guidance (API notes §4.4), with its unit and an
// optional ceiling as parameters, and deliberate mistakes, each differing from it in one way.

/** What an attempt got: status 0 when no usable answer arrived. */
export interface Answer {
  status: number
  /** Seconds from the Retry-After header. */
  retryAfter?: number
}

export interface RetryPolicy {
  name: string
  maxAttempts: number
  /** Ms to wait before the next attempt after `answer` on attempt `attempt` (from 0), or undefined to stop. */
  waitBefore (answer: Answer, attempt: number, random: () => number): number | undefined
  /** Whether retry number `retry` (from 1) still sends the operation's Idempotency-Key. */
  keepsKey (retry: number): boolean
  /** The key retry number `retry` sends instead, for clients that make a new one. */
  renewKey? (key: string, retry: number): string
}

const MAX_ATTEMPTS = 4
/** The docs' sample waits 5 s when a 429 has no Retry-After. */
const FALLBACK_RETRY_AFTER_S = 5
const SERVER_ERRORS = new Set([0, 500, 502, 503, 504])

/** The guidance's backoff, with its unit (1 s) and an optional ceiling a client may add. */
export interface BackoffShape {
  unitMs: number
  capMs?: number
}

export const GUIDANCE_SHAPE: Readonly<BackoffShape> = Object.freeze({ unitMs: 1000 })

/** min(unit·2^attempt, cap) plus a uniform 0-1 unit, attempt counting from 0. */
export function exponentialBackoffMs (attempt: number, random: () => number, shape: BackoffShape = GUIDANCE_SHAPE): number {
  return Math.min(shape.unitMs * 2 ** attempt, shape.capMs ?? Infinity) + Math.floor(random() * shape.unitMs)
}

/** §4.4: Retry-After on a 429, backoff on 5xx and dropped connections (never shorter than a Retry-After), nothing else. */
export function guidanceWait (answer: Answer, attempt: number, random: () => number, shape: BackoffShape = GUIDANCE_SHAPE): number | undefined {
  if (answer.status === 429) return (answer.retryAfter ?? FALLBACK_RETRY_AFTER_S) * 1000
  if (!SERVER_ERRORS.has(answer.status)) return undefined
  const backoff = exponentialBackoffMs(attempt, random, shape)
  return answer.retryAfter === undefined ? backoff : Math.max(backoff, answer.retryAfter * 1000)
}

/** A client that follows §4.4 with the given backoff unit and ceiling. */
export function guidancePolicy (shape: BackoffShape = GUIDANCE_SHAPE, name = 'guidance'): RetryPolicy {
  return {
    name,
    maxAttempts: MAX_ATTEMPTS,
    waitBefore: (answer, attempt, random) => guidanceWait(answer, attempt, random, shape),
    keepsKey: () => true
  }
}

export const correctPolicy: RetryPolicy = guidancePolicy(GUIDANCE_SHAPE, 'correct')

/** Retries a 429 after a hard-coded 400 ms, whatever Retry-After says. */
export const ignoresRetryAfterPolicy: RetryPolicy = {
  ...correctPolicy,
  name: 'ignores Retry-After',
  waitBefore: (answer, attempt, random) => answer.status === 429 ? 400 : guidanceWait(answer, attempt, random)
}

/** Honours Retry-After, but retries 5xx and dropped connections at once. */
export const noBackoffPolicy: RetryPolicy = {
  ...correctPolicy,
  name: 'no backoff',
  waitBefore: (answer, attempt, random) => {
    const wait = guidanceWait(answer, attempt, random)
    return wait === undefined || answer.retryAfter !== undefined ? wait : 0
  }
}

/** Treats every error as transient, 4xx included. */
export const retries4xxPolicy: RetryPolicy = {
  ...correctPolicy,
  name: 'retries 4xx',
  waitBefore: (answer, attempt, random) => guidanceWait(answer, attempt, random) ??
    (answer.status >= 400 ? exponentialBackoffMs(attempt, random) : undefined)
}

/** Sends the Idempotency-Key on the first attempt only. */
export const dropsKeyPolicy: RetryPolicy = {
  ...correctPolicy,
  name: 'drops Idempotency-Key',
  keepsKey: () => false
}

/** Makes a new Idempotency-Key for every retry. */
export const newKeyPolicy: RetryPolicy = {
  ...correctPolicy,
  name: 'new key per attempt',
  renewKey: (key, retry) => `${key}_retry${retry}`
}

/** A small seeded generator (mulberry32), so jitter is repeatable in tests. */
export function seededRandom (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
