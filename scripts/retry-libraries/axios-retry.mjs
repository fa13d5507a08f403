// axios with axios-retry, the interceptor most axios users add.

import axios from 'axios'
import axiosRetry, { exponentialDelay, isNetworkError, isRetryableError } from 'axios-retry'
import { MAX_RETRIES, TIMEOUT_MS } from './common.mjs'

function sender (client) {
  return async (method, path, body, headers) => {
    try {
      const res = await client.request({ method, url: path, headers, data: body })
      return res.status
    } catch (error) {
      return error.response?.status ?? 0
    }
  }
}

export default {
  package: 'axios-retry',
  with: 'axios',
  defaults: {
    create: (baseUrl, headers) => {
      const client = axios.create({ baseURL: baseUrl, headers })
      axiosRetry(client)
      return sender(client)
    }
  },
  guidance: {
    settings: '`{ retries: 3, retryCondition: (e) => isNetworkError(e) || isRetryableError(e), retryDelay: (n, e) => exponentialDelay(n, e, 500), shouldResetTimeout: true }`',
    create: (baseUrl, headers) => {
      const client = axios.create({ baseURL: baseUrl, headers, timeout: TIMEOUT_MS })
      axiosRetry(client, {
        retries: MAX_RETRIES,
        retryCondition: (error) => isNetworkError(error) || isRetryableError(error),
        retryDelay: (retryCount, error) => exponentialDelay(retryCount, error, 500),
        shouldResetTimeout: true
      })
      return sender(client)
    }
  }
}
