// p-retry: retries any async function; the HTTP decisions are the caller's (fetch here).

import pRetry, { AbortError } from 'p-retry'
import { setTimeout as delay } from 'node:timers/promises'
import { MAX_RETRIES, RETRYABLE, retryAfterMs, TIMEOUT_MS } from './common.mjs'

class HttpError extends Error {
  constructor (res) {
    super(`HTTP ${res.status}`)
    this.status = res.status
    this.retryAfterMs = retryAfterMs(res.headers.get('retry-after'))
  }
}

function statusOf (error) {
  return error?.status ?? error?.cause?.status ?? 0
}

function sender (baseUrl, headers, options, decide, signal) {
  return async (method, path, body, extra) => {
    const init = { method, headers: { ...headers, ...extra, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }
    try {
      return await pRetry(async () => {
        const res = await fetch(`${baseUrl}${path}`, { ...init, ...(signal === undefined ? {} : { signal: signal() }) })
        const text = await res.text()
        decide(res)
        JSON.parse(text)
        return res.status
      }, options)
    } catch (error) {
      return statusOf(error)
    }
  }
}

export default {
  package: 'p-retry',
  with: 'fetch, throwing on any answer that is not ok',
  defaults: {
    // The usual wrapper: any answer that is not ok throws, so p-retry retries it.
    create: (baseUrl, headers) => sender(baseUrl, headers, {}, (res) => { if (!res.ok) throw new HttpError(res) })
  },
  guidance: {
    settings: '`{ retries: 3, randomize: true, onFailedAttempt }`, where `onFailedAttempt` waits out a Retry-After, and the function throws `AbortError` on a 4xx other than 429',
    create: (baseUrl, headers) => sender(baseUrl, headers, {
      retries: MAX_RETRIES,
      randomize: true,
      // p-retry then adds its own 1-2 × 2^(n-1) s.
      onFailedAttempt: async ({ error }) => { if (error.retryAfterMs !== undefined) await delay(error.retryAfterMs) }
    }, (res) => {
      if (RETRYABLE.includes(res.status)) throw new HttpError(res)
      if (!res.ok) throw new AbortError(new HttpError(res))
    }, () => AbortSignal.timeout(TIMEOUT_MS))
  }
}
