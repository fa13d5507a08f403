// The JSON Schema of a scenario's `deliveries:` section: rules in the style of `rules:` that shape
// webhook deliveries (match by event type and webhook URL, after, chance, sequences).

import { WEBHOOK_EVENTS } from '../api/schemas/webhooks.js'
import { durationSchema as duration } from '../scenario/duration.js'
import { DELIVERY_FAULT_KINDS, DELIVERY_FAULT_TYPES } from './fault-kinds.js'

const TYPE_PATTERN = `^(?:${DELIVERY_FAULT_TYPES.join('|')})$`
const EVENT_PATTERN = `^(?:${WEBHOOK_EVENTS.map((e) => e.replace('.', '\\.')).join('|')})$`
const faultList = DELIVERY_FAULT_KINDS.map((k) => `${k.type}: ${k.description}`).join(' ')

const deliveryFault = {
  title: 'Delivery fault',
  description: `What happens to the delivery: a type name, or a mapping with type and its options. ${faultList}`,
  type: ['string', 'object'],
  pattern: TYPE_PATTERN,
  errorMessage: `must be a delivery fault (${DELIVERY_FAULT_TYPES.join(', ')}) or a mapping with type and its options`,
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { title: 'Type', description: 'The delivery fault kind.', type: 'string', enum: DELIVERY_FAULT_TYPES },
    copies: { title: 'Copies', description: 'duplicate: extra copies (default 1).', type: 'integer', minimum: 1, maximum: 100 },
    count: { title: 'Count', description: 'burst: extra events (default 10).', type: 'integer', minimum: 1, maximum: 1000 },
    delay: duration('Delay', 'delay: how long the first attempt waits (default 5s).'),
    hold: duration('Hold', 'reorder: the longest the event is held back (default 30s).'),
  },
} as const

const deliveryStep = {
  title: 'Delivery step',
  description: 'How to shape the next matching deliveries: "pass", or a mapping with fault (and times).',
  type: ['string', 'object'],
  pattern: '^pass$',
  errorMessage: 'must be "pass" or a mapping with fault',
  additionalProperties: false,
  properties: {
    times: { title: 'Times', description: 'How many matching deliveries this step shapes. Default 1, except on the last step, which lasts for ever (or until repeat starts over).', type: 'integer', minimum: 1 },
    pass: { title: 'Pass', description: 'Deliver normally.', const: true },
    fault: deliveryFault,
  },
} as const

export const DELIVERY_RULE_SCHEMA = {
  title: 'Delivery rule',
  description: 'Shapes webhook deliveries: which ones it matches, when, and how (a fault, or a sequence of steps).',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { title: 'Name', description: 'Unique among the delivery rules; the delivery journal and reports use it.', type: 'string', minLength: 1, maxLength: 100 },
    description: { title: 'Description', description: 'What the rule simulates.', type: 'string' },
    match: {
      title: 'Match',
      description: 'Which deliveries the rule applies to; empty matches every one.',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        event: {
          title: 'Event',
          description: 'An event type or a list of them.',
          type: ['string', 'array'],
          pattern: EVENT_PATTERN,
          errorMessage: `must be an event type (${WEBHOOK_EVENTS.join(', ')}) or a list of them`,
          minItems: 1,
          items: { title: 'Event', description: 'An event type.', type: 'string', enum: WEBHOOK_EVENTS },
        },
        url: { title: 'URL', description: 'The webhook URL starts with this.', type: 'string', minLength: 1 },
      },
    },
    after: { title: 'After', description: 'Let the first N matching deliveries through untouched.', type: 'integer', minimum: 0, default: 0 },
    chance: { title: 'Chance', description: 'Probability (seeded) that a matching delivery is affected, 0 to 1.', type: 'number', minimum: 0, maximum: 1 },
    fault: deliveryFault,
    sequence: { title: 'Sequence', description: 'Steps applied in order to successive matching deliveries.', type: 'array', minItems: 1, items: deliveryStep },
    repeat: { title: 'Repeat', description: 'With sequence: after the last step, start over instead of staying on it.', type: 'boolean', default: false },
  },
} as const

export const DELIVERIES_SCHEMA = {
  title: 'Deliveries',
  description: 'Scripted faults in the webhook deliveries the mock sends; each rule needs a unique name.',
  type: 'array',
  items: DELIVERY_RULE_SCHEMA,
} as const
