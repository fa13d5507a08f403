// The fault registry: every fault kind the mock can inject, one file each. Adding a kind is a file
// beside these and a line here; the scenario schema, the loader, the pipeline and the grader read it.

import { drip } from './drip.js'
import { empty } from './empty.js'
import { malformed } from './malformed.js'
import { reset } from './reset.js'
import { timeout } from './timeout.js'
import { truncate } from './truncate.js'
import type { FaultKind } from './types.js'

export type { FaultBody, FaultIO, FaultKind, FaultOption, NormalisedFault } from './types.js'

/** Every fault kind, in the order the documentation lists them. */
export const FAULT_KINDS: readonly FaultKind[] = [reset, timeout, empty, truncate, malformed, drip]

const BY_TYPE = new Map(FAULT_KINDS.map((kind) => [kind.type, kind]))

/** The kind of a fault type; undefined for a type no kind has (the loader reports it). */
export function faultKind (type: string): FaultKind | undefined {
  return BY_TYPE.get(type)
}

/** Types whose attempts the grader counts as dropped connections. */
export function isDroppingFault (type: string | undefined): boolean {
  return type !== undefined && BY_TYPE.get(type)?.drops === true
}
