// One delivery attempt over HTTP: POST the raw body with its signature, read the status, give up at
// the timeout (on the server's clock, so a ManualClock drives it in tests). Never throws.

import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { Clock } from '../util/clock.js'
import { SIGNATURE_HEADER } from './sign.js'

/** What came back: a status, or why none did. */
export type SendResult = { status: number } | { status: 0; error: 'timeout' | 'refused' | 'network' }

export interface Sender {
  send (url: string, body: string, signature: string): Promise<SendResult>
  /** Aborts what is in flight and frees the sockets. */
  close (): void
}

/** A sender with its own keep-alive agents, so deliveries never share sockets with anything else. */
export function createSender (clock: Clock, timeoutMs: number): Sender {
  const http = new HttpAgent({ keepAlive: true, maxSockets: 16 })
  const https = new HttpsAgent({ keepAlive: true, maxSockets: 16 })
  const inFlight = new Set<() => void>()

  function send (url: string, body: string, signature: string): Promise<SendResult> {
    return new Promise((resolve) => {
      let settled = false
      const finish = (result: SendResult): void => {
        if (settled) return
        settled = true
        inFlight.delete(abort)
        resolve(result)
      }
      const secure = url.toLowerCase().startsWith('https:')
      const req = (secure ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        agent: secure ? https : http,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'aurion-mock-webhooks',
          [SIGNATURE_HEADER]: signature
        }
      }, (res: IncomingMessage) => {
        // The body is read and thrown away, so the socket can serve the next delivery.
        res.resume()
        res.on('end', () => finish({ status: res.statusCode ?? 0 }))
        res.on('error', () => finish({ status: res.statusCode ?? 0 }))
      })
      const abort = (): void => {
        req.destroy()
        finish({ status: 0, error: 'timeout' })
      }
      inFlight.add(abort)
      req.on('error', (err: NodeJS.ErrnoException) => finish({ status: 0, error: err.code === 'ECONNREFUSED' ? 'refused' : 'network' }))
      void clock.sleep(timeoutMs).then(() => { if (!settled) abort() })
      req.end(body)
    })
  }

  return {
    send,
    close () {
      for (const abort of [...inFlight]) abort()
      http.destroy()
      https.destroy()
    }
  }
}
