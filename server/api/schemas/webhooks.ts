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
