// `aurion-mock validate FILE...`: checks scenario files and prints each problem as file:line:col.
// loadScenarios is also how `serve` loads the --scenario references.

import type { MockConfig } from '../config.js'
import { formatProblem, type LoadOptions } from '../scenario/problem.js'
import { loadScenarioRef } from '../scenario/registry.js'
import type { Scenario } from '../scenario/types.js'
import { EXIT_OK, EXIT_USAGE, type Io } from './io.js'

/** Loads scenario references (files or bundled names); undefined, with every problem printed, when one is bad. */
export async function loadScenarios (refs: readonly string[], io: Io, limits: LoadOptions): Promise<Scenario[] | undefined> {
  const scenarios: Scenario[] = []
  let bad = false
  for (const ref of refs) {
    const result = await loadScenarioRef(ref, limits)
    if (result.ok) scenarios.push(result.scenario)
    else {
      bad = true
      for (const p of result.problems) io.stderr(formatProblem(p))
    }
  }
  return bad ? undefined : scenarios
}

/** The loader's limits from the server's config. */
export function limitsOf (config: MockConfig): LoadOptions {
  return { maxBytes: config.maxScenarioBytes, maxRules: config.maxRules }
}

/** Checks scenario files; exit 0 when all are valid, 2 otherwise. */
export async function validate (files: readonly string[], io: Io, limits: LoadOptions): Promise<number> {
  if (files.length === 0) {
    io.stderr('aurion-mock validate: name at least one scenario file')
    return EXIT_USAGE
  }
  const loaded = await loadScenarios(files, io, limits)
  if (loaded === undefined) return EXIT_USAGE
  for (const s of loaded) io.stdout(`${s.source}: ok (${s.name}, ${s.rules.length} rule${s.rules.length === 1 ? '' : 's'})`)
  return EXIT_OK
}
