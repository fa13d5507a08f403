// Schema-checked `deliveries:` data → DeliveryRule[]: durations in ms, shorthands expanded, fault
// options filled from their kind; reports what the schema cannot say (one way to act, options per kind).

import type { FromSchema } from 'json-schema-to-ts'
import { MAX_DURATION_MS, tryParseDuration } from '../scenario/duration.js'
import type { Report } from '../scenario/load/problems.js'
import { DELIVERY_FAULT_KINDS } from './fault-kinds.js'
import type { DELIVERY_RULE_SCHEMA } from './schema.js'
import type { DeliveryFault, DeliveryMatch, DeliveryRule, DeliveryStep } from './types.js'

export type DeliveryRuleInput = FromSchema<typeof DELIVERY_RULE_SCHEMA, { keepDefaultedPropertiesOptional: true }>
type FaultInput = NonNullable<DeliveryRuleInput['fault']>
type StepInput = NonNullable<DeliveryRuleInput['sequence']>[number]

/** The checked rules of a `deliveries:` section found at `at` (/deliveries). */
export function normaliseDeliveries (input: readonly DeliveryRuleInput[], at: string, report: Report): DeliveryRule[] {
  const firstByName = new Map<string, number>()
  return input.map((rule, i) => {
    const first = firstByName.get(rule.name)
    if (first === undefined) firstByName.set(rule.name, i)
    else report(`${at}/${i}/name`, `duplicate delivery rule name ${JSON.stringify(rule.name)} (already used by ${at}/${first})`)
    return normaliseRule(rule, `${at}/${i}`, report)
  })
}

function normaliseRule (input: DeliveryRuleInput, at: string, report: Report): DeliveryRule {
  const match: DeliveryMatch = {}
  if (input.match?.event !== undefined) match.events = [...new Set([input.match.event].flat())]
  if (input.match?.url !== undefined) match.url = input.match.url
  const rule: DeliveryRule = { name: input.name, match, after: input.after ?? 0, repeat: input.repeat ?? false, steps: [] }
  if (input.description !== undefined) rule.description = input.description
  if (input.chance !== undefined) rule.chance = input.chance
  if (input.fault !== undefined && input.sequence !== undefined) report(`${at}/sequence`, '"sequence" cannot be combined with "fault": a delivery rule takes one of them', 'key')
  if (input.repeat !== undefined && input.sequence === undefined) report(`${at}/repeat`, '"repeat" needs "sequence"', 'key')
  if (input.sequence !== undefined) {
    const last = input.sequence.length - 1
    rule.steps = input.sequence.map((step, i) => normaliseStep(step, i === last ? undefined : 1, `${at}/sequence/${i}`, report))
  } else if (input.fault !== undefined) {
    rule.steps = [{ pass: false, fault: normaliseFault(input.fault, `${at}/fault`, report) }]
  } else {
    report(at, 'delivery rule needs "fault" or "sequence"')
  }
  return rule
}

function normaliseStep (input: StepInput, times: number | undefined, at: string, report: Report): DeliveryStep {
  if (typeof input === 'string') return times === undefined ? { pass: true } : { times, pass: true }
  const step: DeliveryStep = { pass: input.pass === true }
  const count = input.times ?? times
  if (count !== undefined) step.times = count
  if (input.fault !== undefined && input.pass === true) report(`${at}/fault`, '"fault" cannot be combined with "pass"', 'key')
  if (input.fault !== undefined) step.fault = normaliseFault(input.fault, `${at}/fault`, report)
  else if (input.pass !== true) report(at, 'step does nothing: give it fault or pass')
  return step
}

function normaliseFault (input: FaultInput, at: string, report: Report): DeliveryFault {
  const written: Record<string, unknown> = typeof input === 'string' ? { type: input } : { ...input }
  const kind = DELIVERY_FAULT_KINDS.find((k) => k.type === written.type)
  if (kind === undefined) {
    report(`${at}/type`, `unknown delivery fault ${JSON.stringify(written.type)}`)
    return { type: 'drop' }
  }
  const fault: DeliveryFault = { type: kind.type }
  for (const key of Object.keys(written)) {
    if (key === 'type' || kind.options.some((o) => o.key === key)) continue
    const takes = kind.options.length === 0 ? 'it takes no options' : `it takes ${kind.options.map((o) => o.key).join(', ')}`
    report(`${at}/${key}`, `${JSON.stringify(key)} does not apply to delivery fault ${kind.type} (${takes})`, 'key')
  }
  for (const option of kind.options) {
    const value = written[option.key] ?? option.default
    if (option.type === 'integer') {
      fault[option.field] = typeof value === 'number' ? value : Number(option.default)
      continue
    }
    const ms = tryParseDuration(value)
    if (ms === undefined || ms > MAX_DURATION_MS) report(`${at}/${option.key}`, `must be a duration of at most ${MAX_DURATION_MS}ms, such as 250ms, 2s or 1m`)
    fault[option.field] = ms ?? 0
  }
  return fault
}
