// got: retries built in (`retry` option).

import got from 'got'
import { guidanceBackoffMs, MAX_RETRIES, RETRYABLE, TIMEOUT_MS } from './common.mjs'

function sender (client) {
  return async (method, path, body, headers) => {
    try {
      const res = await client(path.slice(1), { method, headers, ...(body === undefined ? {} : { json: body }) })
      return res.statusCode
    } catch (error) {
      return error.response?.statusCode ?? 0
    }
  }
}

/** The guidance: 3 retries of any method on 429, 5xx and errors; Retry-After on a 429, else 2^(n-1) s + 0-1 s, never under a Retry-After. */
function calculateDelay ({ attemptCount, error, retryAfter }) {
  if (attemptCount > MAX_RETRIES) return 0
  const status = error.response?.statusCode
  if (status === 429) return retryAfter ?? 5_000
  if (status !== undefined && !RETRYABLE.includes(status)) return 0
  return Math.max(guidanceBackoffMs(attemptCount), retryAfter ?? 0)
}

export default {
  package: 'got',
  defaults: {
    create: (baseUrl, headers) => sender(got.extend({ prefixUrl: baseUrl, headers, responseType: 'json' }))
  },
  guidance: {
    settings: '`retry: { limit: 3, methods: [...defaults, \'POST\'], calculateDelay }`, where `calculateDelay` returns `retryAfter` for a 429, `2 ** (attemptCount - 1) * 1000 + Math.random() * 1000` (at least `retryAfter`) for a 5xx or network error, else 0',
    create: (baseUrl, headers) => sender(got.extend({
      prefixUrl: baseUrl,
      headers,
      responseType: 'json',
      timeout: { request: TIMEOUT_MS },
      retry: { limit: MAX_RETRIES, methods: ['GET', 'PUT', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'POST'], calculateDelay }
    }))
  }
}
