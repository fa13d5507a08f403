// Fault "drip": the body is sent in small chunks with a pause between them (a slow network).

import { Readable } from 'node:stream'
import type { Clock } from '../util/clock.js'

export function dripStream (payload: Buffer, chunkBytes: number, everyMs: number, clock: Clock): Readable {
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
