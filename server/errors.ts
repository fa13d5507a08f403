// The Aurion error catalogue: every error code the mock answers with, declared once.

import type { RetryReport } from './verify/report.js'

export interface ErrorDetail {
  field: string
  message: string
}

/** The Aurion error body. `details` only on 422, `retry_after` on 429 (and 503 with Retry-After). */
export interface AurionErrorBody {
  error: string
  message: string
  details?: ErrorDetail[]
  retry_after?: number
}

export const ERRORS = {
  bad_request: { status: 400, message: 'Bad request' },
  unauthorized: { status: 401, message: 'Invalid or missing API key' },
  forbidden: { status: 403, message: 'Forbidden' },
  not_found: { status: 404, message: 'Resource not found' },
  method_not_allowed: { status: 405, message: 'Method not allowed' },
  conflict: { status: 409, message: 'Resource already exists' },
  idempotency_conflict: { status: 409, message: 'Idempotency-Key reused with a different request body' },
  request_timeout: { status: 408, message: 'Request timed out before it was complete' },
  payload_too_large: { status: 413, message: 'Request body too large' },
  validation_error: { status: 422, message: 'Request validation failed' },
  rate_limit_exceeded: { status: 429, message: 'Rate limit exceeded' },
  headers_too_large: { status: 431, message: 'Request headers too large' },
  internal_error: { status: 500, message: 'Internal server error' },
  bad_gateway: { status: 502, message: 'Bad gateway' },
  service_unavailable: { status: 503, message: 'Service temporarily unavailable' },
  gateway_timeout: { status: 504, message: 'Gateway timeout' },
  insufficient_storage: { status: 507, message: 'This session holds too many records; reset it' }
} as const satisfies Record<string, { status: number; message: string }>

export type ErrorCode = keyof typeof ERRORS

const CODE_BY_STATUS = new Map<number, ErrorCode>()
for (const [code, { status }] of Object.entries(ERRORS) as [ErrorCode, { status: number }][]) {
  // The first code declared for a status is its default (409 → conflict, not idempotency_conflict).
  if (!CODE_BY_STATUS.has(status)) CODE_BY_STATUS.set(status, code)
}

/** The default error code for an HTTP status, for statuses a scenario scripts without a code. */
export function codeForStatus (status: number): string {
  const known = CODE_BY_STATUS.get(status)
  if (known !== undefined) return known
  if (status >= 500) return 'internal_error'
  if (status >= 400) return 'bad_request'
  return 'ok'
}

/** The default message for an error code; unknown codes get a generic one. */
export function messageFor (code: string): string {
  return (ERRORS as Record<string, { message: string }>)[code]?.message ?? 'Request failed'
}

/** Text of a 429 message; the wording is the Aurion docs'. */
export function rateLimitMessage (seconds: number): string {
  return `Rate limit exceeded. Retry after ${seconds} seconds.`
}

/** Builds an Aurion error body with the catalogue's message unless one is given. */
export function errorBody (code: string, message?: string, extra?: Partial<AurionErrorBody>): AurionErrorBody {
  return { error: code, message: message ?? messageFor(code), ...extra }
}

/**
 * An error a handler throws to answer with an Aurion error. Thrown only from request handling;
 * Fastify's error handler turns it into the body.
 */
export class AurionError extends Error {
  readonly statusCode: number
  readonly code: string
  readonly details: ErrorDetail[] | undefined
  readonly headers: Record<string, string> | undefined
  readonly retryAfter: number | undefined

  constructor (code: ErrorCode, message?: string, options: { details?: ErrorDetail[]; headers?: Record<string, string>; retryAfter?: number } = {}) {
    super(message ?? ERRORS[code].message)
    this.statusCode = ERRORS[code].status
    this.code = code
    this.details = options.details
    this.headers = options.headers
    this.retryAfter = options.retryAfter
  }

  toBody (): AurionErrorBody {
    const body: AurionErrorBody = { error: this.code, message: this.message }
    if (this.details !== undefined) body.details = this.details
    if (this.retryAfter !== undefined) body.retry_after = this.retryAfter
    return body
  }
}

/**
 * The mock's own errors — thrown to the program that starts or configures it, never answered to
 * a client. Each has a code, so a test or a wrapper can tell them apart without reading messages.
 */
export const INTERNAL_ERRORS = {
  AURION_MOCK_CONFIG: 'A flag, environment variable or option has a bad value',
  AURION_MOCK_SCENARIO: 'A scenario has problems',
  AURION_MOCK_CAPACITY: 'A session holds as many records of a kind as it may',
  AURION_MOCK_STORE: 'The state store failed',
  AURION_MOCK_PACKAGE: 'The package\'s own files cannot be found',
  AURION_MOCK_RETRY_POLICY: 'The client of a session broke the retry policy it was graded by'
} as const satisfies Record<string, string>

export type InternalErrorCode = keyof typeof INTERNAL_ERRORS

/** Base of the mock's own errors: a code from INTERNAL_ERRORS and a message for a person. */
export class MockError extends Error {
  readonly code: InternalErrorCode
  constructor (code: InternalErrorCode, message: string = INTERNAL_ERRORS[code]) {
    super(message)
    this.code = code
    this.name = new.target.name
  }
}

/** A configuration problem: the message is one line meant for a user. */
export class ConfigError extends MockError {
  constructor (message: string) {
    super('AURION_MOCK_CONFIG', message)
  }
}

/** A scenario given to the library is invalid; `problems` are formatted `file:line:col: message` lines. */
export class ScenarioError extends MockError {
  readonly problems: string[]
  constructor (problems: string[]) {
    super('AURION_MOCK_SCENARIO', `invalid scenario:\n${problems.join('\n')}`)
    this.problems = problems
  }
}

/** Thrown by a session's opt-in assertion: its message is the retry report's text, `report` the report itself. */
export class RetryPolicyError extends MockError {
  declare readonly report: RetryReport
  constructor (text: string, report: RetryReport) {
    super('AURION_MOCK_RETRY_POLICY', text)
    // Not enumerable: test runners print an error's own properties, and the text says it all.
    Object.defineProperty(this, 'report', { value: report, enumerable: false })
  }
}

/** An error of the state store (a shared store's connection, say); `code` names its kind. */
export class StoreError extends MockError {
  constructor (code: 'AURION_MOCK_STORE' | 'AURION_MOCK_CAPACITY' = 'AURION_MOCK_STORE', message?: string) {
    super(code, message)
  }
}

/** A collection is full: the session holds as many records of a kind as it may (answered 507). */
export class CapacityError extends StoreError {
  readonly collection: string
  readonly limit: number
  constructor (collection: string, limit: number) {
    super('AURION_MOCK_CAPACITY', `this session already holds ${limit} ${collection} records; reset the session or raise --max-records`)
    this.collection = collection
    this.limit = limit
  }
}
