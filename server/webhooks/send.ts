// One delivery attempt over HTTP: POST the raw body with its signature, read the status, give up at
// the timeout (on the server's clock, so a ManualClock drives it in tests). Never throws.
// undici rather than node:http: a delivery costs the mock's core about a third less CPU with it
// (bench/RESULTS.md), and deliveries share that core with the API.

import { Agent, request } from 'undici'
import type { Clock } from '../util/clock.js'
import { SIGNATURE_HEADER } from './sign.js'

/** What came back: a status, or why none did. */
export type SendResult = { status: number } | { status: 0; error: 'timeout' | 'refused' | 'network' }

export interface Sender {
  send (url: string, body: string, signature: string): Promise<SendResult>
  /** Aborts what is in flight and frees the sockets. */
  close (): void
}

/** A sender with its own keep-alive connections, so deliveries never share sockets with anything else. */
export function createSender (clock: Clock, timeoutMs: number): Sender {
  const agent = new Agent({ connections: 16 })
  const inFlight = new Set<AbortController>()

  async function send (url: string, body: string, signature: string): Promise<SendResult> {
    const controller = new AbortController()
    inFlight.add(controller)
    const cancel = clock.timer(timeoutMs, () => { controller.abort() })
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: agent,
        signal: controller.signal,
        headers: { 'content-type': 'application/json', 'user-agent': 'aurion-mock-webhooks', [SIGNATURE_HEADER]: signature },
        body
      })
      // The body is read and thrown away, so the connection can serve the next delivery.
      await res.body.dump()
      return { status: res.statusCode }
    } catch (err) {
      if (controller.signal.aborted) return { status: 0, error: 'timeout' }
      return { status: 0, error: (err as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'refused' : 'network' }
    } finally {
      cancel()
      inFlight.delete(controller)
    }
  }

  return {
    send,
    close () {
      for (const controller of inFlight) controller.abort()
      void agent.destroy().catch(() => {})
    }
  }
}
