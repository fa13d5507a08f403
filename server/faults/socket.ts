// What more than one fault does to a connection: cut it with a TCP reset.

import type { Socket } from 'node:net'

/** Destroys the socket with RST instead of FIN, which is what a crashed proxy looks like. */
export function resetConnection (socket: Socket | null): void {
  if (socket === null || socket.destroyed) return
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
}
