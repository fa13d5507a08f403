// Fault "reset": the connection is cut with a TCP RST; the client sees ECONNRESET.

import type { Socket } from 'node:net'

export function resetConnection (socket: Socket | null): void {
  if (socket === null || socket.destroyed) return
  // resetAndDestroy sends RST instead of FIN, which is what a crashed proxy looks like.
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
}
