// A scenario file as the schema guarantees it once checked: the input types of the loader, derived
// from the schema's own objects (json-schema-to-ts), so they cannot drift from what Ajv checks.
// Defaults are not filled in by the check, so keys with a default stay optional.

import type { FromSchema, JSONSchema } from 'json-schema-to-ts'
import type { RuleSchema, ScenarioSchema, StepSchema } from './schema.js'

type Input<S extends JSONSchema> = FromSchema<S, { keepDefaultedPropertiesOptional: true }>

export type ScenarioInput = Input<ScenarioSchema>
export type RuleInput = Input<RuleSchema>
/** A step of a sequence, written out (the string form is "pass"). */
export type StepObjectInput = Exclude<Input<StepSchema>, string>
/** The keys of one step, on a sequence item or written on the rule itself. */
export type StepFieldsInput = StepObjectInput | RuleInput

export type MatchInput = NonNullable<RuleInput['match']>
export type FlapInput = NonNullable<RuleInput['flap']>
export type WindowInput = NonNullable<RuleInput['window']>
export type LatencyInput = NonNullable<StepObjectInput['latency']>
export type FaultInput = NonNullable<StepObjectInput['fault']>
export type RateLimitInput = NonNullable<ScenarioInput['rateLimit']>
/** A duration as written: milliseconds, or a string such as "250ms". */
export type DurationInput = FlapInput['up']
