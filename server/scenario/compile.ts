// Compiles a checked scenario for serving: predicates built once and rules indexed by method and
// resource, so the decision cost does not grow with rules that cannot match.

import { compileMatch, resourceOfPath, type RequestFacts } from './match.js'
import type { Rule, Scenario } from './types.js'

export interface CompiledRule {
  rule: Rule
  /** Position in the file; candidates are tried in this order. */
  index: number
  matches: (facts: RequestFacts) => boolean
  /** Requests one pass through the steps covers (a last step without times counts once under repeat), or undefined when it is for ever. */
  cycle: number | undefined
}

export interface CompiledScenario {
  scenario: Scenario
  /** Rules that may match a method and the resource segment (the third path segment). */
  candidates: (method: string, path: string) => readonly CompiledRule[]
}

const ANY = '*'
/** A request's second segment that no rule names: only rules open there can match. */
const OTHER = '\u0000other'

function isOpen (seg: string): boolean {
  return seg === '*' || seg === '**' || seg.startsWith(':')
}

/** The resource segment a rule's path pins down (`/api/v1/<resource>/...`), or ANY. */
function resourceOf (pattern: string | undefined): string {
  // Only /api/v1 paths are indexed by resource (requests elsewhere have none).
  if (pattern === undefined || !pattern.startsWith('/api/v1/')) return ANY
  const seg = pattern.split('/')[3]
  return seg === undefined || seg === '' || isOpen(seg) ? ANY : seg
}

/**
 * The segment after the resource a rule pins down: a literal, '' when the pattern ends at the
 * resource (it then matches no path with such a segment), or ANY (a parameter, a wildcard, or no
 * fixed resource).
 */
function secondOf (pattern: string | undefined): string {
  if (pattern === undefined || resourceOf(pattern) === ANY) return ANY
  const seg = pattern.split('/')[4]
  return seg === undefined || seg === '' ? '' : isOpen(seg) ? ANY : seg
}

function secondOfPath (path: string, resourceEnd: number): string {
  if (resourceEnd >= path.length) return ''
  const end = path.indexOf('/', resourceEnd + 1)
  return end === -1 ? path.slice(resourceEnd + 1) : path.slice(resourceEnd + 1, end)
}

export function compileScenario (scenario: Scenario): CompiledScenario {
  const compiled: CompiledRule[] = scenario.rules.map((rule, index) => {
    const steps = rule.steps ?? []
    const lastForever = !rule.repeat && steps.length > 0 && steps[steps.length - 1]?.times === undefined
    return {
      rule,
      index,
      matches: compileMatch(rule.match),
      cycle: lastForever ? undefined : steps.reduce((n, s) => n + (s.times ?? 1), 0)
    }
  })
  // Bucket by "METHOD resource second"; rules with no method, no fixed resource or an open second
  // segment land in wider buckets. Each bucket keeps file order.
  const buckets = new Map<string, CompiledRule[]>()
  /** The literal second segments rules name, per resource. */
  const literals = new Map<string, Set<string>>()
  for (const c of compiled) {
    const methods = c.rule.match.methods ?? [ANY]
    const resource = resourceOf(c.rule.match.path)
    const second = secondOf(c.rule.match.path)
    if (second !== ANY && second !== '') {
      let known = literals.get(resource)
      if (known === undefined) literals.set(resource, (known = new Set()))
      known.add(second)
    }
    for (const m of methods) {
      const key = `${m} ${resource} ${second}`
      const list = buckets.get(key)
      if (list === undefined) buckets.set(key, [c])
      else list.push(c)
    }
  }
  // method → resource → second segment → rules: nested, so a lookup builds no key string.
  const cache = new Map<string, Map<string, Map<string, readonly CompiledRule[]>>>()
  let cached = 0
  const EMPTY: readonly CompiledRule[] = []
  function merge (method: string, resource: string, second: string): CompiledRule[] {
    const merged: CompiledRule[] = []
    for (const m of [method, ANY]) {
      merged.push(...(buckets.get(`${m} ${resource} ${second}`) ?? []), ...(buckets.get(`${m} ${resource} ${ANY}`) ?? []))
      merged.push(...(buckets.get(`${m} ${ANY} ${ANY}`) ?? []))
    }
    return [...new Set(merged)].sort((a, b) => a.index - b.index)
  }
  function candidates (method: string, path: string): readonly CompiledRule[] {
    if (compiled.length === 0) return EMPTY
    const resource = resourceOfPath(path)
    const start = 8 + resource.length
    const named = literals.get(resource)
    // A second segment no rule names is OTHER, so ids from requests cannot grow the cache.
    const raw = secondOfPath(path, start)
    const second = raw === '' || named?.has(raw) === true ? raw : OTHER
    const list = cache.get(method)?.get(resource)?.get(second)
    if (list !== undefined) return list
    const made = merge(method, resource, second)
    // Bounded: methods and resource names come from requests, so cap the cache rather than trust them.
    if (cached < 1000) {
      cached++
      let byResource = cache.get(method)
      if (byResource === undefined) cache.set(method, (byResource = new Map()))
      let bySecond = byResource.get(resource)
      if (bySecond === undefined) byResource.set(resource, (bySecond = new Map()))
      bySecond.set(second, made)
    }
    return made
  }
  return { scenario, candidates }
}
