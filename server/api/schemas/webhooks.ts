// Webhook subscription schemas.

export const WEBHOOK_EVENTS = [
  'ticket.created', 'ticket.updated', 'ticket.closed', 'ticket.reopened', 'ticket.note_added',
  'call.started', 'call.completed', 'call.escalated', 'user.created'
] as const

export const webhookCreateBody = {
  type: 'object',
  properties: {
    // A URL scheme is case-insensitive (RFC 3986 §3.1): HTTPS://... is as good as https://...
    url: { type: 'string', format: 'uri', pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' },
    events: { type: 'array', items: { type: 'string', enum: WEBHOOK_EVENTS }, minItems: 1, uniqueItems: true },
    secret: { type: 'string', minLength: 1 }
  },
  required: ['url', 'events']
} as const

const webhookProperties = {
  id: { type: 'string', pattern: '^wh_' },
  url: { type: 'string' },
  events: { type: 'array', items: { type: 'string', enum: WEBHOOK_EVENTS } },
  created_at: { type: 'string', format: 'date-time' }
} as const

/** The create answer: the only one that shows the secret, with `active` as the Aurion docs write it. */
export const webhookCreatedAnswer = {
  type: 'object',
  description: 'The webhook created; its secret is shown this once',
  properties: { ...webhookProperties, secret: { type: 'string' }, active: { type: 'boolean' } },
  required: ['id', 'url', 'events', 'secret', 'active', 'created_at']
} as const

export const webhookListAnswer = {
  type: 'object',
  description: 'Every webhook subscription (no pagination)',
  properties: {
    webhooks: {
      type: 'array',
      items: {
        type: 'object',
        properties: { ...webhookProperties, is_active: { type: 'boolean' } },
        required: ['id', 'url', 'events', 'is_active', 'created_at']
      }
    }
  },
  required: ['webhooks']
} as const
