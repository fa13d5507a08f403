// Webhook subscription schemas.

export const WEBHOOK_EVENTS = [
  'ticket.created', 'ticket.updated', 'ticket.closed', 'ticket.reopened', 'ticket.note_added',
  'call.started', 'call.completed', 'call.escalated', 'user.created'
] as const

export const webhookCreateBody = {
  type: 'object',
  properties: {
    url: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000 },
    events: { type: 'array', items: { type: 'string', enum: WEBHOOK_EVENTS }, minItems: 1, uniqueItems: true },
    secret: { type: 'string', minLength: 1, maxLength: 200 }
  },
  required: ['url', 'events']
} as const
