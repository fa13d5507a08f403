// Fault "truncate": headers promise the whole body (Content-Length), part of it is sent, then the
// connection is cut; clients see a premature close.

import { Readable } from 'node:stream'
import { resetConnection } from './socket.js'
import { optionOf, type FaultKind } from './types.js'

export const DEFAULT_TRUNCATE_KEEP = 0.5

function truncatedStream (payload: Buffer, keep: number): Readable {
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

export const truncate: FaultKind = {
  type: 'truncate',
  summary: 'the headers promise the whole body, part of it is sent, then the connection is cut',
  options: {
    keep: { field: 'keep', type: 'fraction', default: DEFAULT_TRUNCATE_KEEP, title: 'Kept fraction', description: 'The fraction of the body sent before the connection is cut. Default 0.5.' }
  },
  phase: 'body',
  withPass: true,
  withCommit: true,
  drops: true,
  act: ({ socket, payload, setHeader }, fault) => {
    // With no body to cut (204, an empty answer) the connection is cut before the answer.
    if (payload.length < 2) {
      resetConnection(socket)
      return payload
    }
    setHeader('content-length', payload.length)
    return truncatedStream(payload, optionOf(fault, 'keep', DEFAULT_TRUNCATE_KEEP))
  }
}
