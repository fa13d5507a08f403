// Compiles a checked scenario for serving: predicates built once and rules indexed by method and
// resource, so the decision cost does not grow with rules that cannot match.

import { compileMatch, type RequestFacts } from './match.js'
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

/** The resource segment a rule's path pins down (`/api/v1/<resource>/...`), or ANY. */
function resourceOf (pattern: string | undefined): string {
  if (pattern === undefined) return ANY
  const seg = pattern.split('/')[3]
  return seg === undefined || seg === '' || seg === '*' || seg === '**' || seg.startsWith(':') ? ANY : seg
}

function resourceOfPath (path: string): string {
  // "/api/v1/tickets/1" → "tickets", without allocating the split array on the hot path.
  if (!path.startsWith('/api/v1/')) return ''
  const end = path.indexOf('/', 8)
  return end === -1 ? path.slice(8) : path.slice(8, end)
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
  // Bucket by "METHOD resource"; rules with no method or no fixed resource land in wider buckets.
  const buckets = new Map<string, CompiledRule[]>()
  for (const c of compiled) {
    const methods = c.rule.match.methods ?? [ANY]
    const resource = resourceOf(c.rule.match.path)
    for (const m of methods) {
      const key = `${m} ${resource}`
      const list = buckets.get(key)
      if (list === undefined) buckets.set(key, [c])
      else list.push(c)
    }
  }
  const cache = new Map<string, readonly CompiledRule[]>()
  const EMPTY: readonly CompiledRule[] = []
  function candidates (method: string, path: string): readonly CompiledRule[] {
    if (compiled.length === 0) return EMPTY
    const resource = resourceOfPath(path)
    const key = `${method} ${resource}`
    let list = cache.get(key)
    if (list === undefined) {
      const merged = [
        ...(buckets.get(key) ?? []), ...(buckets.get(`${method} ${ANY}`) ?? []),
        ...(buckets.get(`${ANY} ${resource}`) ?? []), ...(buckets.get(`${ANY} ${ANY}`) ?? [])
      ]
      list = [...new Set(merged)].sort((a, b) => a.index - b.index)
      // Bounded: resource names come from requests, so cap the cache rather than trust them.
      if (cache.size < 1000) cache.set(key, list)
    }
    return list
  }
  return { scenario, candidates }
}
