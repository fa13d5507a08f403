// How many cases the fuzz properties run and with which seed, and a bridge from fast-check to tap.
//
//   FUZZ_RUNS=10      ten times the CI number of cases per property (a nightly-style run); default 1
//   FUZZ_SEED=1234    another seed; FUZZ_SEED=random for a new one each run
//   FUZZ_PATH=3:1:0   with FUZZ_SEED, replay the counterexample a failure printed (seed and path)
//
// CI runs a fixed seed so the suite is reproducible; scripts/fuzz-nightly.sh runs random seeds at a
// larger scale. A failing property prints fast-check's report: seed, path and the shrunk input.

import fc from 'fast-check'
import type { Test } from 'tap'

const DEFAULT_SEED = 20_260_101

function readScale (raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`FUZZ_RUNS must be a positive number (a multiplier), got ${JSON.stringify(raw)}`)
  return n
}

function readSeed (raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return DEFAULT_SEED
  if (raw === 'random') return undefined
  const n = Number(raw)
  if (!Number.isInteger(n)) throw new Error(`FUZZ_SEED must be an integer or "random", got ${JSON.stringify(raw)}`)
  return n
}

export const FUZZ_SCALE = readScale(process.env.FUZZ_RUNS)
const SEED = readSeed(process.env.FUZZ_SEED)
const PATH = process.env.FUZZ_PATH === '' ? undefined : process.env.FUZZ_PATH

/** The number of cases for a property whose CI count is `ciRuns`. */
export function runs (ciRuns: number): number {
  return Math.max(1, Math.round(ciRuns * FUZZ_SCALE))
}

export interface CheckOptions {
  /** Cases in CI; multiplied by FUZZ_RUNS. */
  numRuns: number
  /**
   * A safety net so a slow or busy machine cannot blow the file's time budget: the property stops
   * (and passes) after this many ms of real time, and its tap line says how many cases ran and that
   * it was cut. Set about 1.5× what numRuns takes on a quiet 2-core machine. Scaled by FUZZ_RUNS too.
   */
  timeLimitMs?: number
}

/** Runs a property with the suite's seed and scale; one tap assertion, fast-check's report on failure. */
export async function checkProperty<Ts> (t: Test, name: string, property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>, options: CheckOptions): Promise<void> {
  const numRuns = runs(options.numRuns)
  const params: fc.Parameters<Ts> = {
    numRuns,
    ...(SEED !== undefined ? { seed: SEED } : {}),
    ...(PATH !== undefined ? { path: PATH } : {}),
    ...(options.timeLimitMs !== undefined ? { interruptAfterTimeLimit: Math.round(options.timeLimitMs * FUZZ_SCALE) } : {})
  }
  const started = performance.now()
  const details = await fc.check(property as fc.IAsyncProperty<Ts>, params)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  if (details.failed) {
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
    t.fail(`${name}: ${error}`, { diagnostic: true, report: fc.defaultReportMessage(details) ?? 'failed', seed: details.seed, path: details.counterexamplePath })
    return
  }
  const cut = details.interrupted ? ` (stopped by the ${options.timeLimitMs ?? 0} ms time limit)` : ''
  t.pass(`${name}: ${details.numRuns} cases in ${seconds} s, seed ${details.seed}${cut}`)
}
