// Request matching for rules: path patterns, query, headers, API key and JSON body subset. Pure.

import type { Match } from './types.js'

/** What the engine knows of a request; no HTTP objects. */
export interface RequestFacts {
  method: string
  /** The path without the query string. */
  path: string
  query: Readonly<Record<string, unknown>>
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | string[] | undefined>>
  apiKey: string | undefined
  body: unknown
}

export type PathMatcher = (path: string) => boolean

/** "/api/v1/tickets/1" → "tickets" ('' outside /api/v1), without allocating a split array: every request asks. */
export function resourceOfPath (path: string): string {
  if (!path.startsWith('/api/v1/')) return ''
  const end = path.indexOf('/', 8)
  return end === -1 ? path.slice(8) : path.slice(8, end)
}

/**
 * Compiles a path pattern: literal segments, `:name` or `*` for one segment, a trailing `/*` or
 * `/**` for any rest (including none).
 */
export function compilePath (pattern: string): PathMatcher {
  const segments = pattern.split('/').slice(1)
  const last = segments[segments.length - 1]
  const rest = last === '*' || last === '**'
  const fixed = rest ? segments.slice(0, -1) : segments
  if (!rest && fixed.every((s) => !s.startsWith(':') && s !== '*')) return (path) => path === pattern || path === `${pattern}/`
  const source = fixed.map((s) => (s.startsWith(':') || s === '*') ? '/[^/]+' : '/' + s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('')
  const re = new RegExp(`^${source}${rest ? '(?:/.*)?' : '/?'}$`)
  return (path) => re.test(path)
}

/** Comparisons one body match may make; past it the rule does not match (a bound on time, not a timer). */
export const MAX_CONTAINMENT_STEPS = 100_000

/**
 * True when `actual` contains `expected`: equal scalars, or every own key/element of it, deeply.
 * Array containment tries each expected element against the actual ones, so its cost is bounded
 * by `MAX_CONTAINMENT_STEPS`; a match that needs more is false (a 30 KB rule against a 900 KB
 * body once held the event loop for 20 s).
 */
export function containsSubset (actual: unknown, expected: unknown, budget = { steps: MAX_CONTAINMENT_STEPS }): boolean {
  if (--budget.steps < 0) return false
  if (expected === null || typeof expected !== 'object') return Object.is(actual, expected)
  if (actual === null || typeof actual !== 'object') return false
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false
    // Each expected element must match some element of the actual array.
    for (const e of expected) {
      let found = false
      for (const a of actual) {
        if (containsSubset(a, e, budget)) {
          found = true
          break
        }
        if (budget.steps < 0) return false
      }
      if (!found) return false
    }
    return true
  }
  if (Array.isArray(actual)) return false
  const a = actual as Record<string, unknown>
  for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
    if (!Object.hasOwn(a, k) || !containsSubset(a[k], v, budget)) return false
  }
  return true
}

/** A header or query value by own name only: `__proto__` or `constructor` in a rule finds nothing inherited. */
function own (table: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(table, name) ? table[name] : undefined
}

function firstValue (v: unknown): string | undefined {
  if (Array.isArray(v)) return v.length > 0 ? String(v[0]) : undefined
  return v === undefined ? undefined : String(v)
}

/** Builds the predicate of a rule's `match` (everything except the path, matched by index). */
export function compileMatch (match: Match): (facts: RequestFacts) => boolean {
  const path = match.path === undefined ? undefined : compilePath(match.path)
  const methods = match.methods
  const query = match.query === undefined ? undefined : Object.entries(match.query)
  const headers = match.headers === undefined ? undefined : Object.entries(match.headers)
  const keys = match.apiKeys
  const body = match.body
  return (facts) =>
    (methods === undefined || methods.includes(facts.method)) &&
    (path === undefined || path(facts.path)) &&
    (query === undefined || query.every(([k, v]) => firstValue(own(facts.query, k)) === v)) &&
    (headers === undefined || headers.every(([k, v]) => firstValue(own(facts.headers, k)) === v)) &&
    (keys === undefined || (facts.apiKey !== undefined && keys.includes(facts.apiKey))) &&
    (body === undefined || containsSubset(facts.body, body, { steps: MAX_CONTAINMENT_STEPS }))
}
