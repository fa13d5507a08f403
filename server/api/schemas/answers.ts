// The answers of the API's routes as JSON Schemas: the shared Aurion error, its headers, and the
// set of statuses each kind of route can answer. They document (OpenAPI) and test; they never
// serialise: answers stay JSON.stringify'd (app.ts).

/** The $id of the shared Aurion error schema; a component of the OpenAPI document. */
export const ERROR_SCHEMA_ID = 'AurionError'

export const aurionErrorSchema = {
  $id: ERROR_SCHEMA_ID,
  type: 'object',
  description: 'The Aurion error body: `details` on 422, `retry_after` on 429 (and a 503 that gives Retry-After).',
  properties: {
    error: { type: 'string', description: 'Machine-readable code, e.g. not_found, validation_error, rate_limit_exceeded' },
    message: { type: 'string', description: 'Human-readable text' },
    details: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, message: { type: 'string' } },
        required: ['field', 'message']
      }
    },
    retry_after: { type: 'integer', minimum: 0, description: 'Seconds to wait; matches the Retry-After header' }
  },
  required: ['error', 'message']
} as const

const errorRef = { $ref: `${ERROR_SCHEMA_ID}#` } as const

const retryAfter = { type: 'integer', minimum: 0, description: 'Seconds to wait before retrying' } as const
export const REPLAYED_HEADER = {
  'Idempotent-Replayed': { type: 'string', enum: ['true'], description: 'Present on an answer replayed for a reused Idempotency-Key' }
} as const

/** Why each error status is answered; the first line of its description in the document. */
const ERROR_STATUSES = {
  400: 'Bad request: malformed JSON, URL or Idempotency-Key, an unknown X-Mock-Scenario or X-Mock-Session',
  401: 'Missing or invalid X-API-Key',
  403: 'The API key lacks the scope this route needs',
  404: 'No such resource',
  408: 'The request was not received in time (answered by the HTTP layer, any route)',
  409: 'Conflict: the resource exists, or an Idempotency-Key was reused with another body (idempotency_conflict)',
  413: 'Request body too large',
  422: 'Validation failed: `details` names each field',
  431: 'Request headers too large (answered by the HTTP layer, any route)',
  429: 'Rate limited: wait Retry-After seconds (also `retry_after` in the body)',
  500: 'Internal error',
  503: 'Service unavailable (maintenance, outage, or the server is closing); may give Retry-After',
  507: 'This session holds as many records of a kind as it may; reset it'
} as const

export type ErrorStatus = keyof typeof ERROR_STATUSES

/** Errors a route's handler answers, so an Idempotency-Key stores and replays them (the policy stores no 5xx, and nothing answered before the handler). */
const REPLAYABLE_ERRORS: ReadonlySet<number> = new Set([404, 409])

/** The response schema of one error status (with Retry-After or Idempotent-Replayed where they are sent). */
function errorAnswer (status: ErrorStatus, write: boolean) {
  const headers = status === 429 || status === 503
    ? { 'Retry-After': retryAfter }
    : write && REPLAYABLE_ERRORS.has(status) ? REPLAYED_HEADER : undefined
  return { description: ERROR_STATUSES[status], ...errorRef, ...(headers !== undefined ? { headers } : {}) }
}

/** Every API route may answer these: bad request, key, scope, slow or oversized request, rate limit, internal error, outage. */
const EVERY_ROUTE: readonly ErrorStatus[] = [400, 401, 403, 408, 429, 431, 500, 503]

/**
 * The `response` map of an API route: its success answers and the errors it can give, on top of
 * those every route gives. `write` routes honour Idempotency-Key, so their stored answers may come
 * back with Idempotent-Replayed, a reused key is 409, and a body may be too large (413).
 */
export function answers<S extends Record<number, object>> (success: S, errors: readonly ErrorStatus[], write = false) {
  const statuses = [...new Set([...EVERY_ROUTE, ...errors, ...(write ? [409, 413] as const : [])])].sort((a, b) => a - b)
  const out: Record<number, object> = {}
  for (const [status, schema] of Object.entries(success)) {
    out[Number(status)] = write ? { ...schema, headers: REPLAYED_HEADER } : schema
  }
  for (const status of statuses) out[status] = errorAnswer(status, write)
  return out
}

/** The list envelope: `total` counts every match, `limit`/`offset` echo what was used. */
export function listOf (item: object, description: string) {
  return {
    type: 'object',
    description,
    properties: {
      data: { type: 'array', items: item },
      total: { type: 'integer', minimum: 0 },
      limit: { type: 'integer', minimum: 1 },
      offset: { type: 'integer', minimum: 0 }
    },
    required: ['data', 'total', 'limit', 'offset']
  } as const
}

/** The 204 of a delete: no body. */
export const noContent = { type: 'null', description: 'Deleted; no body' } as const
