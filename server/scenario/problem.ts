// What loading a scenario answers, and how a problem is printed: light enough for start-up.

import type { FaultKind } from '../faults/index.js'
import type { Scenario } from './types.js'

export interface Problem {
  file: string
  line: number
  column: number
  message: string
  /** JSON pointer of the offending value or key, e.g. /rules/1/sequence/0/status; "" for the root. */
  pointer: string
}

export type LoadResult = { ok: true; scenario: Scenario } | { ok: false; problems: Problem[] }

export interface LoadOptions {
  /** Larger texts and files are refused. Default DEFAULT_MAX_SCENARIO_BYTES. */
  maxBytes?: number
  /** More rules are refused. Default DEFAULT_MAX_RULES. */
  maxRules?: number
  /** The fault kinds scenarios may use. Default FAULT_KINDS, the registry (faults/index.ts). */
  faultKinds?: readonly FaultKind[]
}

/** `file:line:col: message (at /pointer)`; the `(at …)` part is left out for the root. */
export function formatProblem (p: Problem): string {
  const at = p.pointer === '' ? '' : ` (at ${p.pointer})`
  return `${p.file}:${p.line}:${p.column}: ${p.message}${at}`
}

