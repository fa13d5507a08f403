// Fault "drip": the body is sent in small chunks with a pause between them (a slow network).

import { Readable } from 'node:stream'
import type { Clock } from '../util/clock.js'
import { optionOf, type FaultKind } from './types.js'

export const DEFAULT_DRIP_CHUNK_BYTES = 16
export const DEFAULT_DRIP_EVERY_MS = 100

function dripStream (payload: Buffer, chunkBytes: number, everyMs: number, clock: Clock): Readable {
  let offset = 0
  let waiting = false
  return new Readable({
    read () {
      if (waiting) return
      if (offset >= payload.length) {
        this.push(null)
        return
      }
      const chunk = payload.subarray(offset, offset + chunkBytes)
      const first = offset === 0
      offset += chunk.length
      if (first) {
        this.push(chunk)
        return
      }
      waiting = true
      clock.sleep(everyMs).then(() => {
        waiting = false
        this.push(chunk)
      }, (err: Error) => this.destroy(err))
    }
  })
}

export const drip: FaultKind = {
  type: 'drip',
  summary: 'the body is sent in small chunks with a pause between them (a slow network)',
  options: {
    chunk: { field: 'chunkBytes', type: 'count', default: DEFAULT_DRIP_CHUNK_BYTES, title: 'Chunk size', description: 'Bytes per chunk. Default 16.' },
    every: { field: 'everyMs', type: 'duration', default: DEFAULT_DRIP_EVERY_MS, title: 'Chunk interval', description: 'The pause between chunks. Default 100ms.' }
  },
  phase: 'body',
  withPass: true,
  withCommit: false,
  drops: false,
  act: ({ payload, clock }, fault) => dripStream(payload, optionOf(fault, 'chunkBytes', DEFAULT_DRIP_CHUNK_BYTES), optionOf(fault, 'everyMs', DEFAULT_DRIP_EVERY_MS), clock)
}
