// The scenarios a server knows: loaded by file path or bundled name, compiled once, one default.

import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { compileScenario, type CompiledScenario } from './scenario/compile.js'
import type { LoadOptions, LoadResult } from './scenario/problem.js'
import type { Scenario } from './scenario/types.js'
import { BUNDLED_SCENARIOS_DIR } from './paths.js'

/** The embedded default: the normal Aurion API, no faults. */
export const DEFAULT_SCENARIO: Scenario = Object.freeze({
  version: 1,
  name: 'default',
  description: 'The normal Aurion API: no injected faults.',
  rules: [],
  source: 'bundled:default'
})

/** Names of the scenarios shipped in scenarios/. */
export function bundledScenarioNames (): string[] {
  const files = readdirSync(BUNDLED_SCENARIOS_DIR).filter((f) => f.endsWith('.yaml'))
  return [...new Set(['default', ...files.map((f) => f.slice(0, -5))])].sort()
}

/** The loader (YAML, Ajv) is imported on first use: a server without scenario files starts without it. */
async function loadScenarioFile (path: string, options: LoadOptions): Promise<LoadResult> {
  return (await import('./scenario/load.js')).loadScenarioFile(path, options)
}

/** Loads a scenario given as a file path or a bundled name ("rate-limit-burst"). */
export async function loadScenarioRef (ref: string, options: LoadOptions = {}): Promise<LoadResult> {
  if (ref === 'default') return { ok: true, scenario: DEFAULT_SCENARIO }
  if (/^[a-z0-9][a-z0-9._-]*$/.test(ref) && !ref.endsWith('.yaml') && !ref.endsWith('.yml') && !existsSync(ref)) {
    const bundled = join(BUNDLED_SCENARIOS_DIR, `${ref}.yaml`)
    if (existsSync(bundled)) {
      const result = await loadScenarioFile(bundled, options)
      return result.ok ? { ok: true, scenario: { ...result.scenario, source: `bundled:${ref}` } } : result
    }
    return { ok: false, problems: [{ file: ref, line: 0, column: 0, pointer: '', message: `no such file or bundled scenario; bundled: ${bundledScenarioNames().join(', ')}` }] }
  }
  return loadScenarioFile(ref, options)
}

export class ScenarioRegistry {
  #byName = new Map<string, CompiledScenario>()
  #default: CompiledScenario

  constructor (scenarios: readonly Scenario[]) {
    const list = scenarios.length > 0 ? scenarios : [DEFAULT_SCENARIO]
    // The embedded default is always there, so X-Mock-Scenario: default reaches the plain API.
    this.#byName.set(DEFAULT_SCENARIO.name, compileScenario(DEFAULT_SCENARIO))
    for (const s of list) this.#byName.set(s.name, compileScenario(s))
    this.#default = this.#byName.get(list[0]!.name)!
  }

  get (name: string): CompiledScenario | undefined { return this.#byName.get(name) }
  get default (): CompiledScenario { return this.#default }
  list (): CompiledScenario[] { return [...this.#byName.values()] }

  /** Adds or replaces a scenario by name; the default follows a replaced default. */
  put (scenario: Scenario): CompiledScenario {
    const compiled = compileScenario(scenario)
    this.#byName.set(scenario.name, compiled)
    if (this.#default.scenario.name === scenario.name) this.#default = compiled
    return compiled
  }

  /** Makes a known scenario the default; false when there is none by that name. */
  activate (name: string): boolean {
    const s = this.#byName.get(name)
    if (s === undefined) return false
    this.#default = s
    return true
  }
}
