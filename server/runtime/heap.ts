// How far V8 lets the old generation grow past what a full GC left alive.
//
// Why: V8 picks a growing factor of up to 4x when collection is cheap, and a mock's state churns
// (records created, sessions forgotten past the record budget): under a stream of creates, full
// collections left ~36 MB alive and the process reached 246 MB of RSS between them. A fixed
// 1.2x keeps the peak near the live size; the extra full GCs are incremental and cost no
// measurable throughput (bench/RESULTS.md). The CLI sets it before anything is allocated; the
// library leaves the host process alone. A --heap-growing-percent given to node by the user wins.

import { setFlagsFromString } from 'node:v8'

export const HEAP_GROWING_PERCENT = 20

/** Sets the growing factor unless node's own flags already do; says whether it did. */
export function tuneHeapGrowth (execArgv: readonly string[]): boolean {
  if (execArgv.some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) return false
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
  return true
}
