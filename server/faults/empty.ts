// Fault "empty": the connection is closed cleanly before a single byte of the answer is sent.

import type { Socket } from 'node:net'

export function closeEmpty (socket: Socket | null): void {
  if (socket === null || socket.destroyed) return
  socket.end()
  // Destroy once our FIN is out, so a client that never reads cannot keep the socket open.
  socket.once('finish', () => socket.destroy())
}
