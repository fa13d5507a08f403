// The delivery engine: (delivery facts, session counters, seed) → which scripted fault, if any,
// shapes a delivery. Pure like the request engine; the same step logic (after, chance, sequences).

import { stepIndex } from '../scenario/engine.js'
import type { MaybePromise } from '../store/types.js'
import { draw } from '../util/rng.js'
import type { DeliveryFault, DeliveryRule } from './types.js'

export interface DeliveryFacts {
  eventType: string
  url: string
}

export interface DeliveryDecision {
  rule: string
  /** 1-based step of the rule's sequence. */
  step: number
  /** undefined: the step passes (delivered normally, journaled with its rule). */
  fault: DeliveryFault | undefined
}

/** The counters the engine bumps; a subset of the session store. */
export interface DeliveryEngineState {
  incr (key: string): MaybePromise<number>
}

export function matchesDelivery (rule: DeliveryRule, facts: DeliveryFacts): boolean {
  const { events, url } = rule.match
  return (events === undefined || events.includes(facts.eventType)) && (url === undefined || facts.url.startsWith(url))
}

/**
 * The first matching rule that fires decides; rules that match but do not fire (after, chance)
 * let later rules try. undefined: delivered normally.
 */
export async function decideDelivery (rules: readonly DeliveryRule[], scenario: string, facts: DeliveryFacts, state: DeliveryEngineState, seed: number): Promise<DeliveryDecision | undefined> {
  for (const rule of rules) {
    if (!matchesDelivery(rule, facts)) continue
    const base = `delivery\u0000${scenario}\u0000${rule.name}`
    const hits = await state.incr(`hits\u0000${base}`)
    if (hits <= rule.after) continue
    if (rule.chance !== undefined && draw(seed, `chance\u0000${base}`, hits) >= rule.chance) continue
    const k = await state.incr(`steps\u0000${base}`)
    const cycle = rule.steps.reduce((n, s) => n + (s.times ?? 1), 0)
    const index = stepIndex(rule.steps, cycle, rule.repeat, k)
    const step = rule.steps[index]
    if (step === undefined) continue
    return { rule: rule.name, step: index + 1, fault: step.fault }
  }
  return undefined
}
