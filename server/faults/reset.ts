// Fault "reset": the connection is cut with a TCP RST; the client sees ECONNRESET.

import type { Socket } from 'node:net'
import type { FaultKind } from './types.js'

export function resetConnection (socket: Socket | null): void {
  if (socket === null || socket.destroyed) return
  // resetAndDestroy sends RST instead of FIN, which is what a crashed proxy looks like.
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
}

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
