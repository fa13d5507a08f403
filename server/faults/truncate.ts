// Fault "truncate": headers promise the whole body (Content-Length), part of it is sent, then the
// connection is cut; clients see a premature close.

import { Readable } from 'node:stream'

export function truncatedStream (payload: Buffer, keep: number): Readable {
  // At least one byte goes out, so the status line and headers are sent before the cut.
  const cut = Math.min(payload.length - 1, Math.max(1, Math.floor(payload.length * keep)))
  let sent = false
  return new Readable({
    read () {
      if (!sent) {
        sent = true
        this.push(payload.subarray(0, cut))
        // Let the first part reach the socket before the cut.
        setImmediate(() => this.destroy(new Error('truncated by aurion-mock')))
      }
    }
  })
}
