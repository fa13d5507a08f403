// Schema-checked scenario data → the normalised Scenario the engine runs: durations in ms, shorthands
// expanded, header names lower-cased, fault options filled from their kind. Also reports what one
// schema keyword cannot say: one way for a rule to answer, which keys and faults combine, ordered
// bounds, path patterns, framing headers, values JSON cannot carry.

import { normaliseExpect } from '../../expect/index.js'
import { normaliseDeliveries } from '../../webhooks/normalise.js'
import type { FaultKind } from '../../faults/index.js'
import { MAX_DURATION_MS, tryParseDuration } from '../duration.js'
import { commitTypes, listOr, passTypes } from '../fault-schema.js'
import type {
  FaultInput, FlapInput, LatencyInput, MatchInput, RateLimitInput, RuleInput, ScenarioInput, StepFieldsInput, WindowInput,
} from '../input.js'
import { STEP_FIELD_NAMES } from '../schema.js'
import type { Flap, Latency, Match, RateLimitSettings, Rule, Scenario, Step, TransportFault } from '../types.js'
import { DEFAULT_FLAP_STATUSES, DEFAULT_RATE_LIMIT_WINDOW_MS } from './defaults.js'
import { childPointer, isRecord, quote, type Report } from './problems.js'

// Request matching walks bodies recursively.
const MAX_BODY_DEPTH = 64
const STEP_KEYS: ReadonlySet<string> = new Set(STEP_FIELD_NAMES)
const ACTION_KEYS = ['pass', 'status', 'fault', 'latency', 'body'] as const
const NOT_WITH_PASS = ['status', 'error', 'message', 'details', 'retryAfter', 'headers', 'body'] as const

/** What the normaliser needs of a fault registry: the kinds by type, and who combines with pass and commit. */
export interface FaultRules {
  byType: ReadonlyMap<string, FaultKind>
  /** "truncate, malformed or drip" */
  withPass: string
  /** "reset, timeout, empty or truncate" */
  withCommit: string
}

export function faultRules (kinds: readonly FaultKind[]): FaultRules {
  return { byType: new Map(kinds.map((k) => [k.type, k])), withPass: listOr(passTypes(kinds)), withCommit: listOr(commitTypes(kinds)) }
}

/** Checked scenario data → a Scenario, with the problems the schema cannot find reported. */
export function normaliseScenario (data: ScenarioInput, rules: ReadonlyArray<Rule | undefined>, source: string, report: Report): Scenario {
  const scenario: Scenario = { version: 1, name: data.name, rules: rules.filter((r) => r !== undefined), source }
  if (data.description !== undefined) scenario.description = data.description
  if (data.seed !== undefined) scenario.seed = data.seed
  if (data.rateLimit !== undefined) scenario.rateLimit = normaliseRateLimit(data.rateLimit, '/rateLimit', report)
  if (data.expect !== undefined) scenario.expect = normaliseExpect(data.expect)
  if (data.deliveries !== undefined) scenario.deliveries = normaliseDeliveries(data.deliveries, '/deliveries', report)
  return scenario
}

/** Reports the second and later rules that reuse a name (rules checked or not). */
export function reportDuplicateRuleNames (rules: unknown[], report: Report): void {
  const firstByName = new Map<string, number>()
  rules.forEach((rule, i) => {
    if (!isRecord(rule) || typeof rule.name !== 'string') return
    const first = firstByName.get(rule.name)
    if (first === undefined) firstByName.set(rule.name, i)
    else report(`/rules/${i}/name`, `duplicate rule name ${quote(rule.name)} (already used by /rules/${first})`)
  })
}

function normaliseRateLimit (input: RateLimitInput, at: string, report: Report): RateLimitSettings {
  const windowMs = input.window === undefined ? DEFAULT_RATE_LIMIT_WINDOW_MS : durationMs(input.window, `${at}/window`, report)
  return { max: input.max, windowMs }
}

/** A schema-checked rule → a Rule; reports what the schema cannot say (one way to answer, combinations, ranges). */
export function normaliseRule (input: RuleInput, at: string, report: Report, faults: FaultRules): Rule {
  const rule: Rule = {
    name: input.name,
    match: normaliseMatch(input.match ?? {}, `${at}/match`, report),
    after: input.after ?? 0,
    repeat: input.repeat ?? false,
  }
  if (input.description !== undefined) rule.description = input.description
  if (input.chance !== undefined) rule.chance = input.chance
  if (input.window !== undefined) rule.window = normaliseWindow(input.window, `${at}/window`, report)

  // Exactly one way to answer; the first one written wins, the others are problems.
  const kinds: Array<{ kind: 'sequence' | 'flap' | 'step'; key: string }> = []
  for (const key of Object.keys(input)) {
    const kind = key === 'sequence' || key === 'flap' ? key : STEP_KEYS.has(key) ? 'step' : undefined
    if (kind !== undefined && !kinds.some((k) => k.kind === kind)) kinds.push({ kind, key })
  }
  const [first, ...others] = kinds
  for (const other of others) {
    report(childPointer(at, other.key), `${quote(other.key)} cannot be combined with ${quote(first?.key ?? '')}: a rule takes one of sequence, flap, or step keys`, 'key')
  }
  const isStep = first?.kind === 'step' && ACTION_KEYS.some((k) => input[k] !== undefined)
  if (first === undefined || (first.kind === 'step' && !isStep)) {
    report(at, 'rule needs one of sequence, flap, or a step (status, fault, latency, pass)')
  } else if (first.kind === 'sequence' && input.sequence !== undefined) {
    const last = input.sequence.length - 1
    rule.steps = input.sequence.map((step, i) => {
      const times = i === last ? undefined : 1
      // The schema allows one string here: "pass".
      if (typeof step === 'string') return times === undefined ? { pass: true, commit: false } : { times, pass: true, commit: false }
      return normaliseStep(step, step.times ?? times, `${at}/sequence/${i}`, report, faults)
    })
  } else if (first.kind === 'flap' && input.flap !== undefined) {
    rule.flap = normaliseFlap(input.flap, `${at}/flap`, report)
  } else if (isStep) {
    rule.steps = [normaliseStep(input, undefined, at, report, faults)]
  }
  return rule
}

function normaliseStep (input: StepFieldsInput, times: number | undefined, at: string, report: Report, faults: FaultRules): Step {
  const step: Step = { pass: input.pass === true, commit: input.commit === true }
  if (times !== undefined) step.times = times
  if (!ACTION_KEYS.some((k) => input[k] !== undefined)) {
    report(at, 'step does nothing: give it status, fault, latency, body or pass')
    return step
  }
  if (input.pass === true) {
    for (const key of NOT_WITH_PASS) {
      if (input[key] !== undefined) report(childPointer(at, key), `${quote(key)} cannot be combined with "pass"`, 'key')
    }
  }
  if (input.fault !== undefined) {
    const fault = normaliseFault(input.fault, `${at}/fault`, report, faults)
    if (input.pass === true && faults.byType.get(fault.type)?.withPass !== true) {
      report(`${at}/fault`, `fault ${fault.type} cannot be combined with "pass" (only ${faults.withPass} can)`)
    }
    step.fault = fault
  }
  if (input.commit === true) {
    if (input.pass === true) {
      report(`${at}/commit`, '"commit" cannot be combined with "pass"', 'key')
    } else if (input.status === undefined && !(step.fault !== undefined && faults.byType.get(step.fault.type)?.withCommit === true)) {
      report(`${at}/commit`, `"commit" needs "status" or a fault of type ${faults.withCommit}`, 'key')
    }
  }

  if (input.status !== undefined) step.status = input.status
  else if (input.body !== undefined && input.pass !== true) step.status = 200
  if (input.error !== undefined) step.error = input.error
  if (input.message !== undefined) step.message = input.message
  if (input.details !== undefined) step.details = input.details.map((d) => ({ field: d.field, message: d.message }))
  if (input.retryAfter !== undefined) step.retryAfter = retryAfterSeconds(input.retryAfter, `${at}/retryAfter`, report)
  if (input.headers !== undefined) step.headers = normaliseHeaders(input.headers, `${at}/headers`, report, true)
  if (input.body !== undefined) step.body = jsonCopy(input.body, `${at}/body`, report)
  if (input.latency !== undefined) {
    step.latency = normaliseLatency(input.latency, `${at}/latency`, report)
    // Only a delay: delay, then pass.
    if (input.status === undefined && input.fault === undefined && input.body === undefined) step.pass = true
  }
  return step
}

/** A fault as written → its type and the fields of its kind's options, defaults filled in. */
function normaliseFault (input: FaultInput, at: string, report: Report, faults: FaultRules): TransportFault {
  const written = typeof input === 'string' ? { type: input } : input
  const kind = faults.byType.get(written.type)
  // The schema knows the registry's types; this is for a caller that skipped it.
  if (kind === undefined) {
    report(`${at}/type`, `unknown fault type ${quote(written.type)}`)
    return { type: written.type }
  }
  const keys = Object.keys(kind.options)
  for (const key of Object.keys(written)) {
    if (key === 'type' || keys.includes(key)) continue
    const takes = keys.length === 0 ? 'it takes no options' : `it takes ${keys.join(', ')}`
    report(childPointer(at, key), `${quote(key)} does not apply to fault type ${kind.type} (${takes})`, 'key')
  }
  const fault: Record<string, string | number> = { type: kind.type }
  for (const [key, option] of Object.entries(kind.options)) {
    const value = written[key]
    if (value === undefined) fault[option.field] = option.default
    else if (option.type === 'duration') fault[option.field] = durationMs(value, childPointer(at, key), report)
    else fault[option.field] = typeof value === 'number' ? value : option.default
  }
  return { ...fault, type: kind.type }
}

function normaliseLatency (input: LatencyInput, at: string, report: Report): Latency {
  if (typeof input !== 'object') {
    const ms = durationMs(input, at, report)
    return { minMs: ms, maxMs: ms }
  }
  const minMs = durationMs(input.min, `${at}/min`, report)
  const maxMs = durationMs(input.max, `${at}/max`, report)
  if (maxMs < minMs) report(`${at}/max`, 'must not be shorter than min')
  return { minMs, maxMs }
}

function normaliseWindow (input: WindowInput, at: string, report: Report): NonNullable<Rule['window']> {
  const startMs = input.start === undefined ? 0 : durationMs(input.start, `${at}/start`, report)
  if (input.end === undefined) return { startMs }
  const endMs = durationMs(input.end, `${at}/end`, report)
  if (endMs <= startMs) report(`${at}/end`, 'must be later than start')
  return { startMs, endMs }
}

function normaliseFlap (input: FlapInput, at: string, report: Report): Flap {
  const upMs = durationMs(input.up, `${at}/up`, report)
  const downMs = durationMs(input.down, `${at}/down`, report)
  if (upMs === 0) report(`${at}/up`, 'must be longer than 0')
  if (downMs === 0) report(`${at}/down`, 'must be longer than 0')
  return {
    upMs,
    downMs,
    statuses: [...(input.statuses ?? DEFAULT_FLAP_STATUSES)],
    retryAfter: input.retryAfter ?? true,
    startDown: input.startDown ?? false,
  }
}

function normaliseMatch (input: MatchInput, at: string, report: Report): Match {
  const match: Match = {}
  if (input.method !== undefined) match.methods = [...new Set([input.method].flat().map((m) => m.toUpperCase()))]
  if (input.path !== undefined) {
    checkPathPattern(input.path, `${at}/path`, report)
    match.path = input.path
  }
  if (input.query !== undefined) match.query = Object.fromEntries(Object.entries(input.query).map(([k, v]) => [k, String(v)]))
  if (input.headers !== undefined) match.headers = normaliseHeaders(input.headers, `${at}/headers`, report)
  if (input.apiKey !== undefined) match.apiKeys = [input.apiKey].flat()
  if (input.body !== undefined) match.body = jsonCopy(input.body, `${at}/body`, report)
  return match
}

function checkPathPattern (path: string, at: string, report: Report): void {
  const segments = path.split('/').slice(1)
  const problem = segments.map((segment, i) => {
    if (segment === '**') return i === segments.length - 1 ? undefined : '"**" can only be the last segment'
    if (segment.includes('*') && segment !== '*') return '"*" must be a whole segment'
    if (segment.startsWith(':') && !/^:[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) return `${quote(segment)} is not a parameter; write ":name"`
    return undefined
  }).find((p) => p !== undefined)
  if (problem !== undefined) report(at, problem)
}

/** Response headers that frame the message: the mock sets them, a scenario may not. */
const FRAMING_HEADERS: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'trailer', 'upgrade'])

function normaliseHeaders (input: Readonly<Record<string, string | number | boolean>>, at: string, report: Report, response = false): Record<string, string> {
  const seen = new Set<string>()
  const entries = Object.entries(input).map(([name, value]): [string, string] => {
    const lower = name.toLowerCase()
    if (response && FRAMING_HEADERS.has(lower)) report(childPointer(at, name), `header ${quote(lower)} frames the message and is set by the mock; use a fault (truncate, drip, ...) to break framing`, 'key')
    if (seen.has(lower)) report(childPointer(at, name), `duplicate header ${quote(lower)} (header names ignore case)`, 'key')
    seen.add(lower)
    return [lower, String(value)]
  })
  return Object.fromEntries(entries)
}

function retryAfterSeconds (input: number | string, at: string, report: Report): number {
  return typeof input === 'number' ? input : Math.ceil(durationMs(input, at, report) / 1000)
}

/** A schema-checked duration in ms; longer than a timer can wait is a problem. */
function durationMs (input: unknown, at: string, report: Report): number {
  const ms = tryParseDuration(input)
  if (ms === undefined) {
    report(at, 'must be a duration such as 250ms, 2s, 1.5s, 1m or 1h')
    return 0
  }
  if (ms > MAX_DURATION_MS) report(at, `must be at most ${MAX_DURATION_MS}ms (about 24.8 days)`)
  return ms
}

/** A private copy of a JSON value; reports values JSON cannot carry, cycles and excessive depth. */
function jsonCopy (value: unknown, at: string, report: Report): unknown {
  const onPath = new Set<object>()
  const checked = new Set<object>()
  const check = (v: unknown, pointer: string, depth: number): boolean => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return true
    if (typeof v === 'number') {
      if (Number.isFinite(v)) return true
      report(pointer, 'must be a finite number')
      return false
    }
    if (typeof v !== 'object') {
      report(pointer, `must be JSON data, not ${typeof v}`)
      return false
    }
    if (onPath.has(v)) {
      report(pointer, 'must be JSON data, not a cycle')
      return false
    }
    if (checked.has(v)) return true
    if (depth >= MAX_BODY_DEPTH) {
      report(pointer, `is nested too deeply (limit ${MAX_BODY_DEPTH} levels)`)
      return false
    }
    const proto: unknown = Object.getPrototypeOf(v)
    if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
      report(pointer, 'must be JSON data: plain objects, arrays, strings, numbers, booleans and null')
      return false
    }
    onPath.add(v)
    const ok = Object.entries(v).every(([k, item]) => check(item, childPointer(pointer, k), depth + 1))
    onPath.delete(v)
    checked.add(v)
    return ok
  }
  return check(value, at, 0) ? structuredClone(value) : value
}
