// undici's RetryAgent, the dispatcher that retries undici's requests. With `request` a string body
// can be sent again; undici's fetch streams the body, and RetryAgent never retries a streamed one.

import { Agent, request, RetryAgent } from 'undici'
import { guidanceBackoffMs, MAX_RETRIES, RETRYABLE, retryAfterMs, TIMEOUT_MS } from './common.mjs'

function sender (baseUrl, headers, dispatcher) {
  return async (method, path, body, extra) => {
    try {
      const res = await request(`${baseUrl}${path}`, {
        method,
        dispatcher,
        headers: { ...headers, ...extra, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      })
      await res.body.json()
      return res.statusCode
    } catch (error) {
      return error.statusCode ?? 0
    }
  }
}

const METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE', 'POST']

/** The guidance as undici's `retry` callback: the same decisions as its default, the guidance's waits. */
function retry (err, { state }, callback) {
  const status = err.statusCode
  if (state.counter > MAX_RETRIES || (status !== undefined && !RETRYABLE.includes(status))) return callback(err)
  if (status === undefined && err.code !== undefined && !['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNREFUSED'].includes(err.code)) return callback(err)
  const after = retryAfterMs(err.headers?.['retry-after'])
  const wait = status === 429 ? after ?? 5_000 : Math.max(guidanceBackoffMs(state.counter), after ?? 0)
  setTimeout(() => callback(null), wait)
}

export default {
  with: 'RetryAgent',
  package: 'undici',
  defaults: {
    create: (baseUrl, headers) => sender(baseUrl, headers, new RetryAgent(new Agent()))
  },
  guidance: {
    settings: '`new RetryAgent(agent, { maxRetries: 3, methods: [...defaults, \'POST\'], retry })` with `request()` (a fetch body is a stream, never retried), where `retry` waits a 429\'s Retry-After, else `2 ** (n - 1) * 1000 + Math.random() * 1000`',
    create: (baseUrl, headers) => sender(baseUrl, headers, new RetryAgent(new Agent({ headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS }), {
      maxRetries: MAX_RETRIES,
      methods: METHODS,
      statusCodes: RETRYABLE,
      retry
    }))
  }
}
