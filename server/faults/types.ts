// What a fault kind is: one file under faults/ exports one of these, and faults/index.ts lists it.
// The scenario schema, the loader, the pipeline and the grader all read the kind from the registry.

import type { Socket } from 'node:net'
import type { Readable } from 'node:stream'
import type { Clock } from '../util/clock.js'

/** One option of a fault's mapping form in a scenario (`fault: { type: drip, every: 50ms }`). */
export interface FaultOption {
  /** The field of the normalised fault it becomes (`everyMs`). */
  field: string
  /** duration: "250ms", "2s" or milliseconds, kept as ms; fraction: 0 < x < 1; count: an integer >= 1. */
  type: 'duration' | 'fraction' | 'count'
  default: number
  title: string
  description: string
}

/** What a fault acts on: the connection, the clock, and the answer the client would have got. */
export interface FaultIO {
  socket: Socket | null
  clock: Clock
  /** Sockets a fault holds open; the server destroys them when it closes. */
  held: Set<Socket>
  /** The answer's body as it would be sent (empty for a connection fault before any answer). */
  payload: Buffer
  /** Sets a header of the answer (body faults only: the headers have not gone out yet). */
  setHeader (name: string, value: string | number): void
}

/** What a body fault sends instead of the payload. */
export type FaultBody = string | Buffer | Readable

export interface FaultKind {
  /** The `type` in scenario files. */
  type: string
  /** What the client sees, in one sentence: the schema's description and the README row. */
  summary: string
  /** The options of the mapping form, by their YAML key. */
  options: Readonly<Record<string, FaultOption>>
  /**
   * connection: no answer reaches the client (the handler runs only under `commit`);
   * body: the answer is sent, broken or slowly.
   */
  phase: 'connection' | 'body'
  /** May combine with `pass: true` (the real answer, broken). */
  withPass: boolean
  /** May combine with `commit: true` without a status (the operation happens, the answer is lost). */
  withCommit: boolean
  /** The client gets no usable answer: the grader counts the attempt as a dropped connection. */
  drops: boolean
  /**
   * Carries the fault out with its normalised options. Connection faults act on the socket (and
   * resolve once done with it); body faults return what is sent instead of the payload.
   */
  act (io: FaultIO, fault: NormalisedFault): Promise<FaultBody | undefined> | FaultBody | undefined
}

/** A fault as a checked scenario holds it: its type and its options' fields (`{ type: 'timeout', holdMs: 30000 }`). */
export interface NormalisedFault {
  readonly type: string
  readonly [field: string]: string | number
}

/** A numeric option of a normalised fault, or its default. */
export function optionOf (fault: NormalisedFault, field: string, fallback: number): number {
  const value = fault[field]
  return typeof value === 'number' ? value : fallback
}
