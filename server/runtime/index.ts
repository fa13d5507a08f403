// The process tunings the CLI opts into before anything else loads; the library never applies
// them (it runs inside someone else's process). Each is measured in bench/RESULTS.md.

import { tuneHeapGrowth } from './heap.js'
import { keepTickMapsAlive } from './tick-maps.js'

/** Applies every tuning: the old generation's growth (peak RSS) and nextTick's kept maps (throughput). */
export function tuneRuntime (execArgv: readonly string[]): void {
  tuneHeapGrowth(execArgv)
  keepTickMapsAlive()
}
