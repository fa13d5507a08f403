// What the Node adapters share: the guidance's waits, and one run of a workload's steps.

import { setTimeout as delay } from 'node:timers/promises'

/** The statuses the guidance retries; dropped connections too. */
export const RETRYABLE = [429, 500, 502, 503, 504]
export const MAX_RETRIES = 3
export const TIMEOUT_MS = 10_000

/** The guidance's backoff before retry `n` (from 1): 2^(n-1) s plus a uniform 0-1 s. */
export function guidanceBackoffMs (n) {
  return 2 ** (n - 1) * 1000 + Math.random() * 1000
}

/** Seconds of a Retry-After header as ms, or undefined. */
export function retryAfterMs (value) {
  const seconds = Number(value)
  return value === undefined || value === null || value === '' || !Number.isFinite(seconds) ? undefined : seconds * 1000
}

/**
 * Runs `steps` one after another with `send(method, path, body, headers)`, which resolves to the
 * final status (0: no usable answer) and never throws. Each POST gets its own Idempotency-Key,
 * which the library then sends on every retry.
 */
export async function runSteps (send, steps, session) {
  const statuses = []
  for (const [i, step] of steps.entries()) {
    if (step.pauseMs !== undefined) {
      await delay(step.pauseMs)
      continue
    }
    const headers = step.method === 'POST' ? { 'idempotency-key': `idem_${session}_${i}` } : {}
    statuses.push(await send(step.method, step.path, step.body, headers))
  }
  return statuses
}
