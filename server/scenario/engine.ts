// The scenario engine: (request facts, session counters, clock, seed) → a decision. It knows
// nothing of HTTP; the adapter in server/engine-hook.ts carries decisions out.

import { codeForStatus, errorBody, messageFor, rateLimitMessage } from '../errors.js'
import { draw, drawInt } from '../util/rng.js'
import type { MaybePromise } from '../store/types.js'
import type { CompiledRule, CompiledScenario } from './compile.js'
import type { RequestFacts } from './match.js'
import type { Flap, Latency, Rule, Step, TransportFault } from './types.js'

/**
 * How early a retry may come and still count as having waited the Retry-After: clocks read whole
 * milliseconds and timers may fire a millisecond early, so a client that sleeps exactly the
 * advertised time can reach the mock a hair before it (the grader allows the same, toleranceMs).
 */
export const RETRY_AFTER_SLACK_MS = 10

/** A scripted answer: what is sent instead of the normal Aurion answer. */
export interface Answer {
  status: number
  headers: Record<string, string>
  /** undefined: no body (204, or a transport fault that never sends one). */
  body: unknown
}

export interface Decision {
  scenario: string
  rule: string
  /** 1-based step of the sequence; undefined for flaps. */
  step: number | undefined
  /** step: a scripted step fired; enforced: an early retry inside an advertised Retry-After; flap: down phase. */
  reason: 'step' | 'enforced' | 'flap'
  pass: boolean
  answer: Answer | undefined
  retryAfter: number | undefined
  latencyMs: number
  fault: TransportFault | undefined
  commit: boolean
}

/** The counters the engine reads and bumps; a subset of the session store. */
export interface EngineState {
  readonly startedAt: number
  incr (key: string): MaybePromise<number>
  get<T> (key: string): MaybePromise<T | undefined>
  set (key: string, value: unknown): MaybePromise<void>
}

interface Block {
  until: number
  status: number
  step: number | undefined
  error: string | undefined
}

/** Which step answers the k-th (1-based) request a rule's sequence handles. */
export function stepIndex (steps: ReadonlyArray<Pick<Step, 'times'>>, cycle: number | undefined, repeat: boolean, k: number): number {
  let n = k
  if (repeat && cycle !== undefined && cycle > 0) n = ((k - 1) % cycle) + 1
  for (let i = 0; i < steps.length; i++) {
    // Under repeat a last step without times answers once per cycle; otherwise it is for ever.
    const times = steps[i]?.times ?? (repeat ? 1 : undefined)
    if (times === undefined) return i
    if (n <= times) return i
    n -= times
  }
  return steps.length - 1
}

/** Where a flap is at `elapsedMs`: down or up, and how long until it is up again. */
export function flapPhase (flap: Flap, elapsedMs: number): { down: boolean; msUntilUp: number } {
  const period = flap.upMs + flap.downMs
  const t = elapsedMs % period
  if (flap.startDown) return t < flap.downMs ? { down: true, msUntilUp: flap.downMs - t } : { down: false, msUntilUp: 0 }
  return t >= flap.upMs ? { down: true, msUntilUp: period - t } : { down: false, msUntilUp: 0 }
}

export function latencyMs (latency: Latency | undefined, seed: number, namespace: string, n: number): number {
  if (latency === undefined) return 0
  if (latency.maxMs <= latency.minMs) return latency.minMs
  return drawInt(seed, namespace, n, latency.minMs, latency.maxMs)
}

/** The scripted answer of a step, with the Aurion error body filled in unless a body is given. */
export function answerFor (step: Step, retryAfter: number | undefined): Answer | undefined {
  if (step.status === undefined) return undefined
  const status = step.status
  const headers: Record<string, string> = { ...step.headers }
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter)
  let body: unknown = step.body
  if (body === undefined && status >= 400) {
    const code = step.error ?? codeForStatus(status)
    const message = step.message ?? (status === 429 && retryAfter !== undefined ? rateLimitMessage(retryAfter) : messageFor(code))
    body = errorBody(code, message, {
      ...(step.details !== undefined ? { details: step.details } : {}),
      ...(retryAfter !== undefined && (status === 429 || status === 503) ? { retry_after: retryAfter } : {})
    })
  } else if (body === undefined && status !== 204 && status !== 304) {
    body = {}
  }
  return { status, headers, body }
}

function windowed (rule: Rule, elapsed: number): boolean {
  const w = rule.window
  return w === undefined || (elapsed >= w.startMs && (w.endMs === undefined || elapsed < w.endMs))
}

function decision (scenario: string, rule: Rule, fields: Partial<Decision>): Decision {
  return { scenario, rule: rule.name, step: undefined, reason: 'step', pass: false, answer: undefined, retryAfter: undefined, latencyMs: 0, fault: undefined, commit: false, ...fields }
}

async function evaluate (c: CompiledRule, name: string, facts: RequestFacts, state: EngineState, now: number, seed: number): Promise<Decision | undefined> {
  const rule = c.rule
  const elapsed = now - state.startedAt
  if (!windowed(rule, elapsed)) return undefined
  const base = `${name}\u0000${rule.name}`
  // Asked together: a shared store sends both in one round trip.
  const [hits, block] = await Promise.all([state.incr(`hits\u0000${base}`), state.get<Block>(`block\u0000${base}`)])
  if (hits <= rule.after) return undefined

  // An early retry inside an advertised Retry-After is refused again, with the time that remains.
  if (block !== undefined && now + RETRY_AFTER_SLACK_MS < block.until) {
    const remaining = Math.max(1, Math.ceil((block.until - now) / 1000))
    const code = block.error ?? codeForStatus(block.status)
    const body = errorBody(code, block.status === 429 ? rateLimitMessage(remaining) : messageFor(code), { retry_after: remaining })
    return decision(name, rule, { reason: 'enforced', step: block.step, retryAfter: remaining, answer: { status: block.status, headers: { 'retry-after': String(remaining) }, body } })
  }

  if (rule.chance !== undefined && draw(seed, `chance\u0000${base}`, hits) >= rule.chance) return undefined

  if (rule.flap !== undefined) {
    const phase = flapPhase(rule.flap, elapsed)
    if (!phase.down) return undefined
    const statuses = rule.flap.statuses
    const status = statuses[drawInt(seed, `flap\u0000${base}`, hits, 0, statuses.length - 1)] ?? 503
    const retryAfter = rule.flap.retryAfter && status === 503 ? Math.max(1, Math.ceil(phase.msUntilUp / 1000)) : undefined
    return decision(name, rule, { reason: 'flap', retryAfter, answer: answerFor({ status, pass: false, commit: false }, retryAfter) })
  }

  const steps = rule.steps ?? []
  const k = await state.incr(`steps\u0000${base}`)
  const index = stepIndex(steps, c.cycle, rule.repeat, k)
  const step = steps[index]
  if (step === undefined) return undefined
  let retryAfter = step.retryAfter
  // A time-window burst advertises the honest wait: until the window closes.
  if (retryAfter === undefined && rule.window?.endMs !== undefined && (step.status === 429 || step.status === 503)) {
    retryAfter = Math.max(1, Math.ceil((rule.window.endMs - elapsed) / 1000))
  }
  const answer = answerFor(step, retryAfter)
  if (answer !== undefined && retryAfter !== undefined && retryAfter > 0 && answer.status >= 400) {
    await state.set(`block\u0000${base}`, { until: now + retryAfter * 1000, status: answer.status, step: index + 1, error: step.error } satisfies Block)
  }
  return decision(name, rule, {
    step: index + 1,
    pass: step.pass,
    answer,
    retryAfter,
    latencyMs: latencyMs(step.latency, seed, `latency\u0000${base}`, hits),
    fault: step.fault,
    commit: step.commit
  })
}

/**
 * Decides what the active scenario does with a request: the first matching rule that fires wins;
 * rules that match but do not fire (after, chance, window, flap up) let later rules try.
 * undefined means no rule fired: the normal Aurion answer.
 */
export async function decide (compiled: CompiledScenario, facts: RequestFacts, state: EngineState, now: number, seed: number): Promise<Decision | undefined> {
  const name = compiled.scenario.name
  for (const c of compiled.candidates(facts.method, facts.path)) {
    if (!c.matches(facts)) continue
    const d = await evaluate(c, name, facts, state, now, seed)
    if (d !== undefined) return d
  }
  return undefined
}
