// Fault "empty": the connection is closed cleanly before a single byte of the answer is sent.

import type { FaultKind } from './types.js'

export const empty: FaultKind = {
  type: 'empty',
  summary: 'the connection is closed cleanly before a single byte of the answer',
  options: {},
  phase: 'connection',
  withPass: false,
  withCommit: true,
  drops: true,
  act: ({ socket }) => {
    if (socket === null || socket.destroyed) return undefined
    socket.end()
    // Destroy once our FIN is out, so a client that never reads cannot keep the socket open.
    socket.once('finish', () => socket.destroy())
    return undefined
  }
}
