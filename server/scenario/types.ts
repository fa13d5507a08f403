// The checked, normalised shape of a scenario: what the loader produces and the engine consumes.
// Durations are milliseconds, shorthands are expanded, header names are lower-case.

import type { Expect } from '../expect/index.js'
import type { NormalisedFault } from '../faults/index.js'
import type { DeliveryRule } from '../webhooks/types.js'

/** A checked fault: its type and its options' fields in ms or units (`{ type: 'timeout', holdMs: 30000 }`). */
export type TransportFault = NormalisedFault

/** A fixed latency or a seeded uniform range, in ms. */
export interface Latency {
  minMs: number
  maxMs: number
}

export interface ErrorDetail {
  field: string
  message: string
}

export interface Step {
  /** How many matching requests this step answers; undefined on the last step means "for ever". */
  times?: number
  /** Hand the request to the normal Aurion behaviour. */
  pass: boolean
  status?: number
  /** Aurion error code; defaults from the status. */
  error?: string
  message?: string
  details?: ErrorDetail[]
  /** Seconds advertised in Retry-After (header, and `retry_after` in the body on 429/503). */
  retryAfter?: number
  headers?: Record<string, string>
  /** Replaces the whole body (any JSON). */
  body?: unknown
  latency?: Latency
  fault?: TransportFault
  /** Perform the real operation first, then answer with this step (the "lost response"). */
  commit: boolean
}

export interface Match {
  methods?: string[]
  /** The pattern as written, e.g. /api/v1/tickets/:id or /api/v1/kb/* */
  path?: string
  query?: Record<string, string>
  /** Lower-case header name → exact value. */
  headers?: Record<string, string>
  apiKeys?: string[]
  /** A JSON object the request body must contain (deep subset). */
  body?: unknown
}

export interface Flap {
  upMs: number
  downMs: number
  /** Statuses picked (seeded) for each request while down. */
  statuses: number[]
  /** Whether 503 answers carry Retry-After = seconds until up. */
  retryAfter: boolean
  /** Start in the down phase instead of the up phase. */
  startDown: boolean
}

export interface Rule {
  name: string
  description?: string
  match: Match
  /** Let the first N matching requests through untouched. */
  after: number
  /** Probability (seeded) that a matching request is affected. */
  chance?: number
  /** Active only in [startMs, endMs) after the session started. */
  window?: { startMs: number; endMs?: number }
  /** Exactly one of steps / flap. An inline step is a one-step sequence. */
  steps?: Step[]
  /** After the last step, start over; otherwise stay on the last step. */
  repeat: boolean
  flap?: Flap
}

export interface RateLimitSettings {
  /** Requests per window per API key and session; 0 turns the limiter off. */
  max: number
  windowMs: number
}

export interface Scenario {
  version: 1
  name: string
  description?: string
  seed?: number
  rateLimit?: RateLimitSettings
  /** The retry policy clients are graded against; defaults to the Aurion guidance when absent. */
  expect?: Expect
  rules: Rule[]
  /** Scripted faults in webhook deliveries (server/webhooks). */
  deliveries?: DeliveryRule[]
  /** Where it came from: a file path, "bundled:<name>" or "inline". */
  source: string
}
