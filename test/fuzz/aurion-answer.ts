// What a well-formed answer of the mock is, as checks that return the reason an answer is not one.

import { headerOf, type RawExchange, type RawResponse } from './raw-http.js'

const ERROR_KEYS = new Set(['error', 'message', 'details', 'retry_after'])
const JSON_TYPE = /^application\/json\s*(;|$)/i

/** Why `text` is not an Aurion error body `{error, message, details?, retry_after?}`, or undefined. */
export function aurionErrorProblem (text: string): string | undefined {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return `error body is not JSON: ${JSON.stringify(text.slice(0, 200))}`
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return `error body is not an object: ${text.slice(0, 200)}`
  const b = body as Record<string, unknown>
  const extra = Object.keys(b).filter((k) => !ERROR_KEYS.has(k))
  if (extra.length > 0) return `error body has keys outside the Aurion format (${extra.join(', ')}): ${text.slice(0, 300)}`
  if (typeof b.error !== 'string' || !/^[a-z][a-z0-9_]*$/.test(b.error)) return `"error" is not a snake_case code: ${text.slice(0, 300)}`
  if (typeof b.message !== 'string' || b.message === '') return `"message" is not a non-empty string: ${text.slice(0, 300)}`
  if (b.details !== undefined) {
    const ok = Array.isArray(b.details) && b.details.every((d: unknown) => d !== null && typeof d === 'object' &&
      typeof (d as Record<string, unknown>).field === 'string' && typeof (d as Record<string, unknown>).message === 'string' &&
      Object.keys(d).length === 2)
    if (!ok) return `"details" is not a list of {field, message}: ${text.slice(0, 300)}`
  }
  if (b.retry_after !== undefined && !(Number.isInteger(b.retry_after) && (b.retry_after as number) >= 0)) return `"retry_after" is not whole seconds: ${text.slice(0, 300)}`
  return undefined
}

/** Non-JSON successes the admin API is documented to serve. */
const NON_JSON_SUCCESS: Array<[RegExp, RegExp]> = [
  [/^\/__mock\/report\.html\/?(\?|$)/, /^text\/html/i],
  [/^\/__mock\/report\.xml\/?(\?|$)/, /^application\/xml/i]
]

/**
 * Why a response of the mock's own (not a scripted fault) is not well formed: a success with JSON
 * (or an empty 204), or an Aurion error with a JSON content type; or undefined when it is fine.
 */
export function answerProblem (res: RawResponse, request: { method: string; path: string }): string | undefined {
  const head = `${res.status} to ${request.method} ${request.path.slice(0, 80)}`
  if (res.framingError !== undefined) return `${head}: ${res.framingError}`
  if (res.status < 200 || res.status > 599) return `${head}: status out of range`
  if (res.status === 500) return `${head}: an internal error (500) the request did not script: ${res.body.toString().slice(0, 200)}`
  const type = headerOf(res, 'content-type') ?? ''
  const retryAfter = res.headers.get('retry-after')
  if (retryAfter !== undefined && (retryAfter.length !== 1 || !/^\d+$/.test(retryAfter[0] ?? ''))) return `${head}: Retry-After is not whole seconds: ${JSON.stringify(retryAfter)}`
  const bodyless = request.method === 'HEAD' || res.status === 204 || res.status === 304
  if (bodyless) {
    if (res.body.length > 0) return `${head}: a body where none may be`
    if (res.status >= 300 && !JSON_TYPE.test(type)) return `${head}: error without a JSON content type (${JSON.stringify(type)})`
    return undefined
  }
  const text = res.body.toString('utf8')
  if (res.status < 300) {
    const special = NON_JSON_SUCCESS.find(([path]) => path.test(request.path))
    if (special !== undefined) return special[1].test(type) ? undefined : `${head}: unexpected content type ${JSON.stringify(type)}`
    if (!JSON_TYPE.test(type)) return `${head}: success without a JSON content type (${JSON.stringify(type)})`
    try {
      JSON.parse(text)
    } catch {
      return `${head}: success body is not JSON: ${JSON.stringify(text.slice(0, 200))}`
    }
    return undefined
  }
  if (!JSON_TYPE.test(type)) return `${head}: error without a JSON content type (${JSON.stringify(type)}): ${JSON.stringify(text.slice(0, 200))}`
  const problem = aurionErrorProblem(text)
  if (problem !== undefined) return `${head}: ${problem}`
  if (res.status === 429) {
    const seconds = (JSON.parse(text) as { retry_after?: unknown }).retry_after
    if (retryAfter === undefined || String(seconds) !== retryAfter[0]) return `${head}: 429 whose retry_after (${String(seconds)}) is not its Retry-After (${String(retryAfter)})`
  }
  return undefined
}

/**
 * Why an exchange under a generated scenario is unacceptable. Scripted answers may be anything the
 * scenario says (any status, body, a cut connection), but never a hang, an interim status as the
 * answer, broken framing other than a truncate fault's, an unscripted 500, Fastify's own error
 * format, or a Retry-After that is not whole seconds.
 */
export function servedProblem (exchange: RawExchange, request: { method: string; path: string }): string | undefined {
  if (exchange.timedOut) return 'no answer and no close in time (a hang)'
  if (exchange.interim.length > 0) return `interim status ${exchange.interim.map((r) => r.status).join(', ')} sent as the answer`
  for (const res of exchange.responses) {
    const scripted = headerOf(res, 'x-mock-fault') !== undefined
    const text = res.body.toString('utf8')
    if (res.framingError !== undefined && !(scripted && res.framingError.startsWith('body cut short'))) return `${res.status}: ${res.framingError}`
    if (res.headers.has('transfer-encoding') && res.headers.has('content-length')) return `${res.status}: both Transfer-Encoding and Content-Length`
    const retryAfter = res.headers.get('retry-after')
    if (retryAfter !== undefined && (retryAfter.length !== 1 || !/^\d+$/.test(retryAfter[0] ?? ''))) return `${res.status}: Retry-After is not whole seconds: ${JSON.stringify(retryAfter)}`
    if (/"statusCode"\s*:/.test(text) && /"error"\s*:\s*"[A-Z]/.test(text)) return `${res.status}: Fastify's default error body: ${text.slice(0, 200)}`
    if (!scripted) {
      const problem = answerProblem(res, request)
      if (problem !== undefined) return problem
    }
  }
  return undefined
}
