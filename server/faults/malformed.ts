// Fault "malformed": the answer is sent whole, with its status and JSON content type, but the
// body is not valid JSON, like a proxy that cut a cached body or an app that crashed mid-write.

import type { FaultKind } from './types.js'

/** A deterministic non-JSON rendering of a body: its first part and a dangling token. */
export function malform (payload: string): string {
  const cut = Math.max(1, Math.floor(payload.length * 0.6))
  return `${payload.slice(0, cut)}<!-- upstream error -->`
}

export const malformed: FaultKind = {
  type: 'malformed',
  summary: 'the answer arrives whole with its status, but its body is not valid JSON',
  options: {},
  phase: 'body',
  withPass: true,
  withCommit: false,
  drops: true,
  act: ({ payload }) => malform(payload.toString())
}
