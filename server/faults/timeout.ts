// Fault "timeout": the connection is held open with no answer, then dropped.

import type { Socket } from 'node:net'
import type { Clock } from '../util/clock.js'

/** Holds the socket for `holdMs` of the clock's time (or until the client gives up), then closes it. */
export async function holdConnection (socket: Socket | null, holdMs: number, clock: Clock): Promise<void> {
  if (socket === null || socket.destroyed) return
  await Promise.race([clock.sleep(holdMs), new Promise((resolve) => socket.once('close', resolve))])
  if (!socket.destroyed) socket.destroy()
}
