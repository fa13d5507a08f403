// ky: retries built in (`retry` option), on top of fetch.

import ky from 'ky'
import { guidanceBackoffMs, MAX_RETRIES, RETRYABLE, TIMEOUT_MS } from './common.mjs'

function sender (client) {
  return async (method, path, body, headers) => {
    try {
      const res = await client(path.slice(1), { method, headers, ...(body === undefined ? {} : { json: body }) })
      await res.json()
      return res.status
    } catch (error) {
      return error.response?.status ?? 0
    }
  }
}

export default {
  package: 'ky',
  defaults: {
    create: (baseUrl, headers) => sender(ky.create({ prefixUrl: baseUrl, headers }))
  },
  guidance: {
    settings: '`retry: { limit: 3, methods: [...defaults, \'post\'], statusCodes: [429, 500, 502, 503, 504], delay: (n) => 2 ** (n - 1) * 1000 + Math.random() * 1000 }`',
    create: (baseUrl, headers) => sender(ky.create({
      prefixUrl: baseUrl,
      headers,
      timeout: TIMEOUT_MS,
      retry: { limit: MAX_RETRIES, methods: ['get', 'put', 'head', 'delete', 'options', 'trace', 'post'], statusCodes: RETRYABLE, delay: guidanceBackoffMs }
    }))
  }
}
