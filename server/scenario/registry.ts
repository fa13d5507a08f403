// The scenarios a server knows: loaded by file path or bundled name, compiled once, one default.
// Scenarios posted to the admin API are kept apart: bounded, never replacing the operator's, and
// scoped to the session that posted them. Which one is active is state: the store keeps its name.

import { createHash } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { compileScenario, type CompiledScenario } from './compile.js'
import type { LoadOptions, LoadResult } from './problem.js'
import type { Scenario } from './types.js'
import { BUNDLED_SCENARIOS_DIR } from '../util/package-paths.js'

/** The embedded default: the normal Aurion API, no faults. */
export const DEFAULT_SCENARIO: Scenario = Object.freeze({
  version: 1,
  name: 'default',
  description: 'The normal Aurion API: no injected faults.',
  rules: [],
  source: 'bundled:default'
})

/** Scenarios posted through the admin API kept at once, across sessions; the least recently posted goes first. */
export const DEFAULT_MAX_POSTED_SCENARIOS = 32
/** Their size together, as the JSON of their checked form. */
export const DEFAULT_MAX_POSTED_SCENARIO_BYTES = 32 * 1_048_576

/** Names of the scenarios shipped in scenarios/. */
export function bundledScenarioNames (): string[] {
  const files = readdirSync(BUNDLED_SCENARIOS_DIR).filter((f) => f.endsWith('.yaml'))
  return [...new Set(['default', ...files.map((f) => f.slice(0, -5))])].sort()
}

/** The loader (YAML, Ajv) is imported on first use: a server without scenario files starts without it. */
async function loadScenarioFile (path: string, options: LoadOptions): Promise<LoadResult> {
  return (await import('./load/index.js')).loadScenarioFile(path, options)
}

/**
 * Loads a bundled scenario by its name ("rate-limit-burst"); undefined for a name that is not one.
 * The name is looked up in the listing, never joined into a path as given.
 */
export async function loadBundledScenario (name: string, options: LoadOptions = {}): Promise<LoadResult | undefined> {
  if (name === 'default') return { ok: true, scenario: DEFAULT_SCENARIO }
  if (!bundledScenarioNames().includes(name)) return undefined
  const result = await loadScenarioFile(join(BUNDLED_SCENARIOS_DIR, `${name}.yaml`), options)
  return result.ok ? { ok: true, scenario: { ...result.scenario, source: `bundled:${name}` } } : result
}

/** Loads a scenario given by the operator as a file path or a bundled name (the --scenario flag). */
export async function loadScenarioRef (ref: string, options: LoadOptions = {}): Promise<LoadResult> {
  // A file of that name in the working directory wins over a bundled scenario.
  if (/^[a-z0-9][a-z0-9._-]*$/.test(ref) && !ref.endsWith('.yaml') && !ref.endsWith('.yml') && !existsSync(ref)) {
    const bundled = await loadBundledScenario(ref, options)
    if (bundled !== undefined) return bundled
    return { ok: false, problems: [{ file: ref, line: 0, column: 0, pointer: '', message: `no such file or bundled scenario; bundled: ${bundledScenarioNames().join(', ')}` }] }
  }
  return loadScenarioFile(ref, options)
}

export interface PostedLimits {
  maxCount?: number
  maxBytes?: number
}

interface Posted {
  compiled: CompiledScenario
  bytes: number
}

/** Where a posted scenario lives: the whole server ('') or one session. */
function postedKey (name: string, session: string | undefined): string {
  return `${session ?? ''}\u0000${name}`
}

export class ScenarioRegistry {
  /** The operator's scenarios (flags, bundled by name) and the embedded default. */
  #byName = new Map<string, CompiledScenario>()
  /** Posted through the admin API, least recently posted first. */
  #posted = new Map<string, Posted>()
  #postedBytes = 0
  /** How many of the scenarios held (operator's and posted) bring their own rateLimit. */
  #ownLimits = 0
  #default: CompiledScenario
  readonly #maxPosted: number
  readonly #maxPostedBytes: number

  constructor (scenarios: readonly Scenario[], limits: PostedLimits = {}) {
    const list = scenarios.length > 0 ? scenarios : [DEFAULT_SCENARIO]
    // The embedded default is always there, so X-Mock-Scenario: default reaches the plain API.
    this.#byName.set(DEFAULT_SCENARIO.name, compileScenario(DEFAULT_SCENARIO))
    for (const s of list) this.#byName.set(s.name, compileScenario(s))
    for (const c of this.#byName.values()) this.#countLimit(c, 1)
    this.#default = this.#byName.get(list[0]!.name)!
    this.#maxPosted = limits.maxCount ?? DEFAULT_MAX_POSTED_SCENARIOS
    this.#maxPostedBytes = limits.maxBytes ?? DEFAULT_MAX_POSTED_SCENARIO_BYTES
  }

  /** A scenario by name as a session sees it: its own posted one first, then the server's. */
  get (name: string, session?: string): CompiledScenario | undefined {
    if (session !== undefined) {
      const own = this.#posted.get(postedKey(name, session))
      if (own !== undefined) return own.compiled
    }
    return this.#posted.get(postedKey(name, undefined))?.compiled ?? this.#byName.get(name)
  }

  /** The operator's first scenario (or the embedded default): what applies while none is activated. */
  get default (): CompiledScenario { return this.#default }

  /** The server's scenarios: the operator's and those posted for everyone. */
  list (): CompiledScenario[] {
    const global = [...this.#posted].filter(([key]) => key.startsWith('\u0000')).map(([, p]) => p.compiled)
    return [...this.#byName.values(), ...global]
  }

  /**
   * A short hash of the server's scenarios as loaded: replicas that read the same files show the
   * same one (health), so a replica that disagrees is seen.
   */
  fingerprint (): string {
    const scenarios = this.list().map((c) => c.scenario).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
    return createHash('sha256').update(JSON.stringify(scenarios)).digest('hex').slice(0, 16)
  }

  /** Names a session can pick, for error messages. */
  names (session?: string): string[] {
    const own = session === undefined ? [] : [...this.#posted.keys()].filter((k) => k.startsWith(`${session}\u0000`)).map((k) => k.slice(session.length + 1))
    return [...new Set([...this.list().map((s) => s.scenario.name), ...own])]
  }

  /**
   * True while some scenario held, for any session, brings its own rateLimit: until one does,
   * every request's limit is the server's whichever scenario is active.
   */
  hasOwnRateLimits (): boolean { return this.#ownLimits > 0 }

  /** True for a name the operator's scenarios (or the embedded default) hold: a posted one may not take it. */
  isOperators (name: string): boolean { return this.#byName.has(name) }

  /** Adds or replaces an operator's scenario by name (start-up, --watch, bundled by name); the default follows a replaced default. */
  put (scenario: Scenario): CompiledScenario {
    const compiled = compileScenario(scenario)
    const replaced = this.#byName.get(scenario.name)
    if (replaced !== undefined) this.#countLimit(replaced, -1)
    this.#byName.set(scenario.name, compiled)
    this.#countLimit(compiled, 1)
    if (this.#default.scenario.name === scenario.name) this.#default = compiled
    return compiled
  }

  /**
   * Keeps a scenario posted through the admin API, for one session or (without one) the server.
   * Past the count or byte bound the least recently posted are forgotten, but never the one the
   * server has active (`active`, its name). `bytes` is the size of its checked form.
   */
  post (scenario: Scenario, bytes: number, session?: string, active?: string): CompiledScenario {
    const key = postedKey(scenario.name, session)
    this.#forget(key)
    const compiled = compileScenario(scenario)
    this.#posted.set(key, { compiled, bytes })
    this.#postedBytes += bytes
    this.#countLimit(compiled, 1)
    for (const [old, entry] of this.#posted) {
      if (this.#posted.size <= this.#maxPosted && this.#postedBytes <= this.#maxPostedBytes) break
      if (old === key || (active !== undefined && old === postedKey(active, undefined))) continue
      this.#forget(old)
    }
    return compiled
  }

  #forget (key: string): void {
    const entry = this.#posted.get(key)
    if (entry === undefined) return
    this.#posted.delete(key)
    this.#postedBytes -= entry.bytes
    this.#countLimit(entry.compiled, -1)
  }

  #countLimit (compiled: CompiledScenario, delta: number): void {
    if (compiled.scenario.rateLimit !== undefined) this.#ownLimits += delta
  }
}
