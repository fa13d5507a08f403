// Our Aurion webhook receiver: it trusts a delivery only when X-Aurion-Signature is the HMAC-SHA256
// of the raw body with our secret (compared in constant time), and it handles each event id once,
// answering 2xx to a redelivery so Aurion stops sending it.

import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

export interface AurionEvent {
  id: string
  type: string
  timestamp: string
  data: Record<string, unknown>
}

/** True when `header` is the signature of `rawBody` with `secret`; constant time, whatever the input. */
export function verifySignature (rawBody: Buffer, header: string | undefined, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`)
  const given = Buffer.from(header ?? '')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * A node:http request listener for Aurion deliveries. `onEvent` runs once per event id; a bad
 * signature is 401, a body that is not an event 400, anything else 204.
 */
export function createReceiver (secret: string, onEvent: (event: AurionEvent) => void) {
  // A real service keeps seen ids in its database; a bounded set is enough for this example.
  const seen = new Set<string>()
  return (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      const signature = req.headers['x-aurion-signature']
      if (!verifySignature(raw, typeof signature === 'string' ? signature : undefined, secret)) {
        res.writeHead(401).end()
        return
      }
      let event: AurionEvent
      try {
        event = JSON.parse(raw.toString('utf8')) as AurionEvent
      } catch {
        res.writeHead(400).end()
        return
      }
      if (!seen.has(event.id)) {
        seen.add(event.id)
        if (seen.size > 10_000) seen.delete(seen.values().next().value!)
        onEvent(event)
      }
      res.writeHead(204).end()
    })
  }
}
