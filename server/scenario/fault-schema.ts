// The `fault` key of a step, made from a fault registry: the type names, each kind's options (a
// duration, a fraction or a count), and the wording of which kinds combine with pass and commit.

import type { FaultKind, FaultOption } from '../faults/index.js'
import { durationSchema } from './duration.js'

// Type names go into a pattern and option keys into messages: plain lower-case words only.
const TYPE_NAME = /^[a-z][a-z0-9-]*$/
const OPTION_KEY = /^[a-z][A-Za-z0-9]*$/

/** "a", "a or b", "a, b or c". */
export function listOr (words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`
}

function lowerFirst (text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}

/** The types of the kinds that may combine with `pass: true`. */
export function passTypes (kinds: readonly FaultKind[]): string[] {
  return kinds.filter((k) => k.withPass).map((k) => k.type)
}

/** The types of the kinds that may combine with `commit: true` without a status. */
export function commitTypes (kinds: readonly FaultKind[]): string[] {
  return kinds.filter((k) => k.withCommit).map((k) => k.type)
}

/**
 * Throws on a registry the format cannot carry: a type listed twice or not a plain word, an option
 * key that is not camelCase, or one key meaning different things in two kinds (the schema has one
 * entry per key). A bad registry is a programming error, so this is a throw, not a problem.
 */
export function checkFaultKinds (kinds: readonly FaultKind[]): void {
  const types = new Set<string>()
  const options = new Map<string, { kind: string; option: FaultOption }>()
  for (const kind of kinds) {
    if (!TYPE_NAME.test(kind.type)) throw new Error(`fault kind ${JSON.stringify(kind.type)}: a type is a lower-case word`)
    if (types.has(kind.type)) throw new Error(`fault kind ${kind.type} is registered twice`)
    types.add(kind.type)
    for (const [key, option] of Object.entries(kind.options)) {
      if (key === 'type' || !OPTION_KEY.test(key)) throw new Error(`fault kind ${kind.type}: option key ${JSON.stringify(key)} must be a camelCase word other than "type"`)
      const other = options.get(key)
      if (other !== undefined && (other.option.type !== option.type || other.option.field !== option.field)) {
        throw new Error(`fault kinds ${other.kind} and ${kind.type} give option "${key}" different meanings`)
      }
      options.set(key, { kind: kind.type, option })
    }
  }
}

/** The schema of one option key; `owners` are the kinds that take it (checkFaultKinds made them agree). */
function optionSchema (key: string, option: FaultOption, owners: readonly FaultKind[]) {
  const only = owners.length === 1 ? ' only' : ''
  const description = owners.map((k) => `${k.type}${only}: ${lowerFirst(k.options[key]?.description ?? '')}`).join(' ')
  switch (option.type) {
    case 'duration': return durationSchema(option.title, description)
    case 'fraction': return { title: option.title, description, type: 'number', minimum: 0, maximum: 1 }
    case 'count': return { title: option.title, description, type: 'integer', minimum: 1 }
  }
}

/** The schema of `fault`: a type name, or a mapping with `type` and the options of that type. */
export function faultSchema (kinds: readonly FaultKind[]) {
  checkFaultKinds(kinds)
  const types = kinds.map((k) => k.type)
  const typeSchema = { title: 'Fault type', description: `${kinds.map((k) => `${k.type}: ${k.summary}`).join('; ')}.`, enum: types }
  const properties: Record<string, { title: string; description: string }> = { type: typeSchema }
  for (const kind of kinds) {
    for (const [key, option] of Object.entries(kind.options)) {
      properties[key] ??= optionSchema(key, option, kinds.filter((k) => Object.hasOwn(k.options, key)))
    }
  }
  return {
    title: 'Transport fault',
    description: 'Misbehave at the connection level: a fault type, or a mapping with `type` and the options of that type.',
    type: ['string', 'object'],
    pattern: `^(?:${types.join('|')})$`,
    examples: types,
    errorMessage: `must be one of: ${types.join(', ')}`,
    additionalProperties: false,
    required: ['type'],
    properties,
  }
}

/** The description of `pass`, naming the faults it combines with. */
export function passDescription (kinds: readonly FaultKind[]): string {
  return `Hand the request to the normal Aurion behaviour. Combines only with times, latency, and a fault of type ${listOr(passTypes(kinds))}.`
}

/** The description of `commit`, naming the faults that can stand in for a status. */
export function commitDescription (kinds: readonly FaultKind[]): string {
  return `Perform the real operation first, then answer with this step (a lost response). Needs status, or a fault of type ${listOr(commitTypes(kinds))}.`
}
