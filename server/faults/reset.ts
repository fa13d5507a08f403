// Fault "reset": the connection is cut with a TCP RST; the client sees ECONNRESET.

import { resetConnection } from './socket.js'
import type { FaultKind } from './types.js'

export const reset: FaultKind = {
  type: 'reset',
  summary: 'the connection is cut with a TCP reset before any answer (the client sees ECONNRESET)',
  options: {},
  phase: 'connection',
  withPass: false,
  withCommit: true,
  drops: true,
  act: ({ socket }) => {
    resetConnection(socket)
    return undefined
  }
}
