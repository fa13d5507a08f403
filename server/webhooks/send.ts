// One delivery attempt over HTTP: POST the raw body with its signature, read the status, give up at
// the timeout (on the server's clock, so a ManualClock drives it in tests). Never rejects.
// undici's dispatch API, the layer its request() is built on: no response stream, promise chain or
// AbortSignal per delivery. Those are objects of the classes the API's own requests use (streams,
// event emitters); with them, GET throughput beside 200 deliveries a second had a median of 0.76x,
// without them 0.93x (bench/webhooks.mjs, bench/RESULTS.md).

import { Agent, type Dispatcher } from 'undici'
import type { Clock } from '../util/clock.js'
import { SIGNATURE_HEADER } from './sign.js'

/** What came back: a status, or why none did. */
export type SendResult = { status: number } | { status: 0; error: 'timeout' | 'refused' | 'network' }

export interface Sender {
  send (url: string, body: string, signature: string): Promise<SendResult>
  /** Aborts what is in flight and frees the sockets. */
  close (): void
}

const TIMEOUT: SendResult = { status: 0, error: 'timeout' }

/** A sender with its own keep-alive connections, so deliveries never share sockets with anything else. */
export function createSender (clock: Clock, timeoutMs: number): Sender {
  const agent = new Agent({ connections: 16 })
  /** Aborts each delivery in flight (close). */
  const inFlight = new Set<() => void>()

  function send (url: string, body: string, signature: string): Promise<SendResult> {
    return new Promise((resolve) => {
      let target: URL
      try {
        target = new URL(url)
      } catch {
        resolve({ status: 0, error: 'network' })
        return
      }
      const { origin, pathname, search } = target
      let controller: Dispatcher.DispatchController | undefined
      let status = 0
      let settled = false
      const abort = (): void => { controller?.abort(new Error('delivery aborted')) }
      const settle = (result: SendResult): void => {
        if (settled) return
        settled = true
        cancel()
        inFlight.delete(abort)
        resolve(result)
      }
      // At the timeout the attempt is over, whether or not a socket was reached yet to abort.
      const cancel = clock.timer(timeoutMs, () => { settle(TIMEOUT); abort() })
      inFlight.add(abort)
      agent.dispatch({
        origin,
        path: `${pathname}${search}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'aurion-mock-webhooks', [SIGNATURE_HEADER]: signature },
        body
      }, {
        onRequestStart (c) {
          controller = c
          if (settled) c.abort(new Error('delivery timed out'))
        },
        onResponseStart (_c, statusCode) { status = statusCode },
        // The body is read and thrown away, so the connection can serve the next delivery.
        onResponseData () {},
        onResponseEnd () { settle({ status }) },
        onResponseError (_c, err) {
          settle({ status: 0, error: (err as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'refused' : 'network' })
        }
      })
    })
  }

  return {
    send,
    close () {
      for (const abort of inFlight) abort()
      void agent.destroy().catch(() => {})
    }
  }
}
