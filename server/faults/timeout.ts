// Fault "timeout": the connection is held open with no answer, then dropped.

import { optionOf, type FaultKind } from './types.js'

export const DEFAULT_TIMEOUT_HOLD_MS = 30_000

export const timeout: FaultKind = {
  type: 'timeout',
  summary: 'the connection is held open with no answer, then closed',
  options: {
    hold: { field: 'holdMs', type: 'duration', default: DEFAULT_TIMEOUT_HOLD_MS, title: 'Hold', description: 'How long the connection stays open before it is closed. Default 30s.' }
  },
  phase: 'connection',
  withPass: false,
  withCommit: true,
  drops: true,
  // Holds the socket for `holdMs` of the clock's time (or until the client gives up), then closes it.
  act: async ({ socket, clock, held }, fault) => {
    const holdMs = optionOf(fault, 'holdMs', DEFAULT_TIMEOUT_HOLD_MS)
    if (socket === null || socket.destroyed) return undefined
    held.add(socket)
    await Promise.race([clock.sleep(holdMs), new Promise((resolve) => socket.once('close', resolve))])
    held.delete(socket)
    if (!socket.destroyed) socket.destroy()
    return undefined
  }
}
