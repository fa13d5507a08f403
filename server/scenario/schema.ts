// The JSON Schema (draft-07) of the scenario YAML format: the loader's first check, editor completion, docs.
// Written out to scenarios/scenario.schema.json (a test keeps the two equal). `errorMessage` is the
// VS Code / yaml-language-server extension: editors show it, and the loader uses it for the same errors.
// Rules that need more than one value (exactly one of sequence/flap/step, pass combinations, commit,
// fault options per type, ordering of window and latency bounds) are checked in load/normalise.ts.
// The schema is made from parts: the `fault` key from a fault registry (fault-schema.ts), `expect`
// from the policy's own fragment. The builders keep their literal types, so input.ts derives the
// input types from these same objects.

import { EXPECT_SCHEMA } from '../expect/index.js'
import { DELIVERIES_SCHEMA } from '../webhooks/schema.js'
import { FAULT_KINDS, type FaultKind } from '../faults/index.js'
import { DURATION_PATTERN, durationSchema as duration } from './duration.js'
import { commitDescription, faultSchema, passDescription } from './fault-schema.js'

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const

const NAME_PATTERN = '^[a-z0-9][a-z0-9._-]*$'
const ERROR_CODE_PATTERN = '^[a-z][a-z0-9_]*$'
// RFC 9110 token characters, and the value characters Node accepts in setHeader.
const HEADER_NAME_PATTERN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"
const HEADER_VALUE_PATTERN = '^[\\t\\x20-\\x7e\\x80-\\xff]*$'

// Case-insensitive without a regexp flag, which JSON Schema patterns cannot carry.
function anyCase (word: string): string {
  return [...word].map((c) => `[${c.toUpperCase()}${c.toLowerCase()}]`).join('')
}
const METHOD_PATTERN = `^(?:${HTTP_METHODS.map(anyCase).join('|')})$`

function headerMap (title: string, description: string) {
  return {
    title,
    description,
    type: 'object',
    propertyNames: {
      title: 'Header name',
      description: 'An HTTP header name; case does not matter.',
      pattern: HEADER_NAME_PATTERN,
      errorMessage: 'must be a valid header name (letters, digits and !#$%&\'*+-.^_`|~)',
    },
    additionalProperties: {
      title: 'Header value',
      description: 'The value; numbers and booleans are written as text.',
      type: ['string', 'number', 'boolean'],
      pattern: HEADER_VALUE_PATTERN,
      errorMessage: 'must be a header value: text without line breaks, a number or a boolean',
    },
  } as const
}

/** A year: longer waits are a typo, and bigger numbers would print in exponent notation. */
export const MAX_RETRY_AFTER_SECONDS = 31_536_000

const anyJson = (title: string, description: string) => ({ title, description })

/** How `pass` and `commit` are described: which fault kinds they combine with. */
interface Combinations { pass: string; commit: string }

/** Keys a step can carry; a rule can carry them too, as its single inline step. `fault` is the registry's. */
function stepFieldSchemas<F> (fault: F, combinations: Combinations) {
  return {
    pass: { title: 'Pass', description: combinations.pass, const: true },
    status: {
      title: 'Status',
      description: 'Answer with this HTTP status instead of the real one.',
      type: 'integer',
      minimum: 200,
      maximum: 599,
    },
    error: {
      title: 'Error code',
      description: 'The Aurion error code in the body (`error`); defaults from the status. Needs status.',
      type: 'string',
      pattern: ERROR_CODE_PATTERN,
      errorMessage: 'must be a snake_case error code such as rate_limited',
    },
    message: {
      title: 'Error message',
      description: 'The human-readable `message` in the error body. Needs status.',
      type: 'string',
    },
    details: {
      title: 'Error details',
      description: 'Field errors in the body (`details`), as Aurion sends on 422. Needs status.',
      type: 'array',
      minItems: 1,
      items: {
        title: 'Error detail',
        description: 'One field error.',
        type: 'object',
        additionalProperties: false,
        required: ['field', 'message'],
        properties: {
          field: { title: 'Field', description: 'The request field at fault.', type: 'string' },
          message: { title: 'Message', description: 'What is wrong with it.', type: 'string' },
        },
      },
    },
    retryAfter: {
      title: 'Retry-After',
      description: 'Seconds advertised in the Retry-After header (and `retry_after` in 429/503 bodies): whole seconds, or a duration rounded up to whole seconds. Needs status.',
      type: ['integer', 'string'],
      minimum: 0,
      maximum: MAX_RETRY_AFTER_SECONDS,
      pattern: DURATION_PATTERN,
      errorMessage: 'must be a whole number of seconds (at most a year), or a duration such as 1500ms, 2s or 1m',
    },
    headers: headerMap('Response headers', 'Extra response headers, name → value. Needs status.'),
    body: anyJson('Response body', 'Replaces the whole response body (any JSON value). Without status, the status is 200.'),
    latency: {
      title: 'Latency',
      description: 'Delay before answering: a fixed duration, or {min, max} for a seeded random delay in that range. Alone, the step delays and then passes.',
      type: ['number', 'string', 'object'],
      minimum: 0,
      pattern: DURATION_PATTERN,
      errorMessage: 'must be a duration (such as 200ms or 1.5s) or a mapping with min and max',
      additionalProperties: false,
      required: ['min', 'max'],
      properties: {
        min: duration('Minimum latency', 'The shortest delay.'),
        max: duration('Maximum latency', 'The longest delay; not less than min.'),
      },
    },
    fault,
    commit: {
      title: 'Commit',
      description: combinations.commit,
      type: 'boolean',
      default: false,
    },
  } as const
}

/** Keys that mean nothing without a status. */
const needsStatus = {
  error: ['status'],
  message: ['status'],
  details: ['status'],
  retryAfter: ['status'],
  headers: ['status'],
} as const

function stepSchema<S> (fields: S) {
  return {
    title: 'Step',
    description: 'How to answer the next matching requests: "pass", or a mapping of step keys.',
    type: ['string', 'object'],
    pattern: '^pass$',
    errorMessage: 'must be "pass" or a step mapping',
    additionalProperties: false,
    dependencies: needsStatus,
    properties: {
      times: {
        title: 'Times',
        description: 'How many matching requests this step answers. Default 1, except on the last step, which lasts for ever (or until repeat starts over).',
        type: 'integer',
        minimum: 1,
      },
      ...fields,
    },
  } as const
}

const match = {
  title: 'Match',
  description: 'Which requests the rule applies to; every given condition must hold. Empty matches everything.',
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    method: {
      title: 'Method',
      description: 'An HTTP method or a list of them (any case).',
      type: ['string', 'array'],
      pattern: METHOD_PATTERN,
      examples: HTTP_METHODS,
      errorMessage: `must be an HTTP method (${HTTP_METHODS.join(', ')}) or a list of them`,
      minItems: 1,
      items: {
        title: 'Method',
        description: 'An HTTP method (any case).',
        type: 'string',
        pattern: METHOD_PATTERN,
        errorMessage: `must be one of: ${HTTP_METHODS.join(', ')}`,
      },
    },
    path: {
      title: 'Path',
      description: 'A path pattern: literal segments, ":name" or "*" for one segment, and a trailing "/*" or "/**" for any rest (including none).',
      type: 'string',
      pattern: '^/[^\\s?#]*$',
      errorMessage: 'must be a path starting with "/" (no spaces, query string or fragment)',
      examples: ['/api/v1/tickets/:id'],
    },
    query: {
      title: 'Query',
      description: 'Query parameters the request must carry, name → exact value.',
      type: 'object',
      additionalProperties: {
        title: 'Query value',
        description: 'The exact value. Numbers and booleans become text (1.0 becomes "1"); quote a value to keep it as written.',
        type: ['string', 'number', 'boolean'],
        errorMessage: 'must be a string, number or boolean',
      },
    },
    headers: headerMap('Headers', 'Request headers the request must carry, name (any case) → exact value.'),
    apiKey: {
      title: 'API key',
      description: 'The X-API-Key the request must use, or a list of accepted keys.',
      type: ['string', 'array'],
      minLength: 1,
      minItems: 1,
      errorMessage: 'must be an API key or a list of API keys',
      items: { title: 'API key', description: 'An accepted API key.', type: 'string', minLength: 1 },
    },
    body: anyJson('Body', 'A JSON value the request body must contain (deep subset).'),
  },
} as const

const flap = {
  title: 'Flap',
  description: 'Alternate between up (requests pass) and down (requests fail) on a fixed clock.',
  type: 'object',
  additionalProperties: false,
  required: ['up', 'down'],
  properties: {
    up: duration('Up', 'How long each up phase lasts; more than 0.'),
    down: duration('Down', 'How long each down phase lasts; more than 0.'),
    statuses: {
      title: 'Statuses',
      description: 'Statuses answered while down, picked at random (seeded). Should be errors (>= 400). Default [503].',
      type: 'array',
      minItems: 1,
      default: [503],
      items: { title: 'Status', description: 'An HTTP status.', type: 'integer', minimum: 200, maximum: 599 },
    },
    retryAfter: {
      title: 'Retry-After',
      description: 'Whether 503 answers carry Retry-After: the seconds until the next up phase.',
      type: 'boolean',
      default: true,
    },
    startDown: {
      title: 'Start down',
      description: 'Begin with a down phase instead of an up phase.',
      type: 'boolean',
      default: false,
    },
  },
} as const

function ruleSchemaOf<F, S> (fields: F, step: S) {
  return {
    title: 'Rule',
    description: 'A fault rule: which requests it matches, when it is active, and how it answers (exactly one of sequence, flap, or step keys written on the rule).',
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    dependencies: { ...needsStatus, repeat: ['sequence'] },
    properties: {
      name: {
        title: 'Name',
        description: 'Unique within the scenario; reports and the journal use it.',
        type: 'string',
        minLength: 1,
        maxLength: 100,
      },
      description: { title: 'Description', description: 'What the rule simulates.', type: 'string' },
      match,
      after: {
        title: 'After',
        description: 'Let the first N matching requests through untouched.',
        type: 'integer',
        minimum: 0,
        default: 0,
      },
      chance: {
        title: 'Chance',
        description: 'Probability (seeded) that a matching request is affected, 0 to 1.',
        type: 'number',
        minimum: 0,
        maximum: 1,
      },
      window: {
        title: 'Window',
        description: 'Active only from start to end, measured from the start of the session.',
        type: 'object',
        additionalProperties: false,
        properties: {
          start: { ...duration('Start', 'When the rule becomes active. Default 0.'), default: 0 },
          end: duration('End', 'When the rule stops; later than start. Default: never.'),
        },
      },
      sequence: {
        title: 'Sequence',
        description: 'Steps applied in order to successive matching requests.',
        type: 'array',
        minItems: 1,
        items: step,
      },
      repeat: {
        title: 'Repeat',
        description: 'With sequence: after the last step, start over instead of staying on it.',
        type: 'boolean',
        default: false,
      },
      flap,
      ...fields,
    },
  } as const
}

function scenarioSchemaOf<R> (rule: R) {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Aurion mock scenario',
    description: 'Scripted faults for the Aurion API mock (format version 1).',
    type: 'object',
    errorMessage: 'a scenario must be a mapping with version, name and rules',
    additionalProperties: false,
    required: ['version', 'name'],
    properties: {
      version: { title: 'Version', description: 'The scenario format version; must be 1.', const: 1 },
      name: {
        title: 'Name',
        description: 'The scenario name: lower case letters, digits, ".", "_" and "-", starting with a letter or digit; at most 100 characters.',
        type: 'string',
        maxLength: 100,
        pattern: NAME_PATTERN,
        errorMessage: 'must be a lower-case name of at most 100 characters: letters, digits, ".", "_" and "-", starting with a letter or digit',
      },
      description: { title: 'Description', description: 'What the scenario simulates.', type: 'string' },
      seed: {
        title: 'Seed',
        description: 'Seed for every random choice (chance, latency ranges, flap statuses); a fixed default when absent.',
        type: 'integer',
        minimum: 0,
        maximum: 4_294_967_295,
      },
      rateLimit: {
        title: 'Rate limit',
        description: 'Requests allowed per window, per API key and session; beyond it the mock answers 429.',
        type: 'object',
        additionalProperties: false,
        required: ['max'],
        properties: {
          max: {
            title: 'Max',
            description: 'Requests per window; 0 turns the limiter off.',
            type: 'integer',
            minimum: 0,
          },
          window: { ...duration('Window', 'The length of a rate-limit window. Default 1m.'), default: '1m' },
        },
      },
      expect: EXPECT_SCHEMA,
      rules: {
        title: 'Rules',
        description: 'The fault rules; each needs a unique name.',
        type: 'array',
        default: [],
        items: rule,
      },
      deliveries: DELIVERIES_SCHEMA,
    },
  } as const
}

/** The scenario schema and the rule schema (the loader also checks rules one by one) for a fault registry. */
export function scenarioSchemas (kinds: readonly FaultKind[] = FAULT_KINDS) {
  const fields = stepFieldSchemas(faultSchema(kinds), { pass: passDescription(kinds), commit: commitDescription(kinds) })
  const rule = ruleSchemaOf(fields, stepSchema(fields))
  return { scenario: scenarioSchemaOf(rule), rule }
}

/** What the input types (input.ts) see of any registry's fault schema: a type name, or a mapping with `type` and options. */
interface FaultShape {
  type: readonly ['string', 'object']
  required: readonly ['type']
  properties: { type: { type: 'string' } }
  additionalProperties: { type: readonly ['number', 'string'] }
}
type StepFieldSchemas = ReturnType<typeof stepFieldSchemas<FaultShape>>
/** The schema types input.ts derives the input types from. */
export type StepSchema = ReturnType<typeof stepSchema<StepFieldSchemas>>
export type RuleSchema = ReturnType<typeof ruleSchemaOf<StepFieldSchemas, StepSchema>>
export type ScenarioSchema = ReturnType<typeof scenarioSchemaOf<RuleSchema>>

const defaults = scenarioSchemas()
/** The schema for the built-in fault kinds: what scenarios/scenario.schema.json holds. */
export const scenarioSchema = defaults.scenario
export const ruleSchema = defaults.rule

/** The step keys, which a rule may also carry as its single inline step. */
export const STEP_FIELD_NAMES: readonly string[] = Object.keys(stepFieldSchemas(undefined, { pass: '', commit: '' }))
